import time

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from organizations.scoping import open_posts, scope_roots

from . import health
from .dashboard import inbox


@login_required
def home(request):
    context = {"roots": scope_roots(request.user), "posts": open_posts(request.user), "inbox": inbox(request.user)}
    return render(request, "home.html", context)


@never_cache
@require_GET
def healthz(request):
    """Liveness for operators and load balancers: 200 when the database and broker answer.
    Exempt from the HTTPS redirect (settings.SECURE_REDIRECT_EXEMPT) and needs no login."""
    started = time.monotonic()
    db_ok, db_info = health.check_database()
    broker_ok, broker_info = health.check_broker()
    body = {
        "status": "ok" if db_ok and broker_ok else "error",
        "database": {"ok": db_ok, "detail": db_info},
        "broker": {"ok": broker_ok, "detail": broker_info},
        "elapsed_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)
