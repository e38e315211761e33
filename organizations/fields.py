from django.db import models


class PathField(models.CharField):
    """The tree's materialised path. On PostgreSQL it uses the "C" collation so that
    ``path LIKE 'prefix%'`` is served by the plain btree index (measured in DESIGN.md)."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
