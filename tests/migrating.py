"""Migrations applied in a test as `migrate` applies them (Django's MigrationExecutor); the
``restore_schema`` fixture (tests/conftest.py) puts the schema back to the latest after."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate to ``targets`` ([(app, name)]); the historical models there (``apps.get_model``)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps
