"""Progress of a background job, written so that the page polling its row sees it at once."""

import logging

from django.db import connection, connections

log = logging.getLogger(__name__)


class VisibleUpdate:
    """``update(**fields)`` on one row of ``model``, visible to other connections immediately.

    A job often reports progress from inside its own long transaction (a report's snapshot, an
    import's all-or-nothing write), which nobody sees until it ends; there the row is written on a
    second connection on PostgreSQL, and not at all on SQLite (a second writer would wait on the
    job's own lock). Progress is cosmetic: a failed write is logged, never fatal."""

    def __init__(self, model, pk: int):
        self.model, self.pk, self._side = model, pk, None

    def __call__(self, **fields) -> None:
        try:
            self._write(fields)
        except Exception:  # noqa: BLE001 - progress must never fail the job
            log.warning("could not write progress of %s %s", self.model.__name__, self.pk, exc_info=True)

    def _write(self, fields: dict) -> None:
        if not connection.in_atomic_block:
            self.model.objects.filter(pk=self.pk).update(**fields)
        elif connection.vendor == "postgresql":
            self._write_aside(fields)

    def _write_aside(self, fields: dict) -> None:
        if self._side is None:
            self._side = connections.create_connection("default")
        meta = self.model._meta
        sets = ", ".join(f"{meta.get_field(name).column} = %s" for name in fields)
        with self._side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {meta.db_table} SET {sets} WHERE {meta.pk.column} = %s", [*fields.values(), self.pk]
            )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
