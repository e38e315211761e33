import logging
import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organizations.scoping import open_posts, scope_roots

from .dashboard import inbox

logger = logging.getLogger(__name__)


@login_required
def home(request):
    context = {"roots": scope_roots(request.user), "posts": open_posts(request.user), "inbox": inbox(request.user)}
    return render(request, "home.html", context)


def _failure(exc: Exception) -> str:
    """The public answer names the kind of failure; hosts and credentials stay in the log."""
    logger.warning("healthz: %s", exc, exc_info=False)
    return type(exc).__name__


def _check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, connection.vendor
    except Exception as exc:  # any failure means "not reachable"
        return False, _failure(exc)


def _check_broker() -> tuple[bool, str]:
    from doanhub.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, conn.transport_cls if isinstance(conn.transport_cls, str) else conn.info().get("transport", "")
    except Exception as exc:
        return False, _failure(exc)


@never_cache
@require_GET
def healthz(request):
    """Liveness for operators and load balancers: 200 when the database and broker answer."""
    started = time.monotonic()
    db_ok, db_info = _check_database()
    broker_ok, broker_info = _check_broker()
    body = {
        "status": "ok" if db_ok and broker_ok else "error",
        "database": {"ok": db_ok, "detail": db_info},
        "broker": {
            "ok": broker_ok,
            "detail": broker_info if not broker_ok else settings.CELERY_BROKER_URL.split("://")[0],
        },
        "elapsed_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
