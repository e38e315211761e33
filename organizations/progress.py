"""Progress and heartbeat of a background job, written so that the page polling its row sees them
at once."""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone

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


# -- a running step's heartbeat -------------------------------------------------------------------


class Heartbeat:
    """``with Heartbeat(model, pk):`` around a worker's step stamps ``heartbeat_at`` on the job row
    every DOANHUB_JOB_HEARTBEAT_SECONDS, from a thread with its own connection (outside the step's
    long transaction, so the page sees each beat at once, even while a query runs for minutes).

    A worker killed mid-step (OOM, SIGKILL, the machine gone) stops beating; once the last beat is
    older than DOANHUB_JOB_DEAD_SECONDS the job is known dead (``is_dead``, ``dead``): its page says
    the worker stopped and offers a re-run, instead of a frozen "Đang chạy 85%". A beat is
    cosmetic like progress: a failed one is logged, never fatal (on SQLite it waits while the step
    holds the write lock, so keep the dead limit well above SQLite's lock timeout)."""

    def __init__(self, model, pk: int):
        self.model, self.pk = model, pk
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{model.__name__}-{pk}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        # The first beat here, before the step opens its transaction: from the thread it could
        # meet the step's write lock (SQLite's shared-cache test database refuses it at once),
        # and a job would then show no sign of life until the next beat.
        self._beat()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=settings.DOANHUB_JOB_HEARTBEAT_SECONDS + 30)

    def _run(self) -> None:
        try:
            while not self._stop.wait(settings.DOANHUB_JOB_HEARTBEAT_SECONDS):
                self._beat()
        finally:
            connections.close_all()  # this thread's own connections only (they are per thread)

    def _beat(self) -> None:
        try:
            self.model.objects.filter(pk=self.pk).update(heartbeat_at=timezone.now())
        except Exception:  # noqa: BLE001
            log.warning("could not write heartbeat of %s %s", self.model.__name__, self.pk, exc_info=True)


def _dead_before():
    return timezone.now() - timedelta(seconds=settings.DOANHUB_JOB_DEAD_SECONDS)


def is_dead(heartbeat_at, started_at) -> bool:
    """A running step's last sign of life (its start or its last beat, whichever is later: a beat
    may be left from a run before) is older than the limit."""
    signs = [t for t in (heartbeat_at, started_at) if t is not None]
    return bool(signs) and max(signs) < _dead_before()


def dead(queryset):
    """The rows of ``queryset`` (filter it to the running statuses first) whose worker is dead, in
    one query: for the page's lists and for a sweep marking them failed."""
    cutoff = _dead_before()
    return queryset.filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=cutoff), started_at__lt=cutoff)
