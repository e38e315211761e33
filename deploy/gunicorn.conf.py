"""gunicorn settings for DoanHub: `gunicorn -c deploy/gunicorn.conf.py doanhub.wsgi`.

Threaded workers (gthread): a slow page (a large export, a report page) holds one thread, not a
whole worker, so `/healthz` and the other pages are served beside it. Every value can be changed
by environment variable without editing this file."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))  # about one per core
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))  # a 10⁵-row export streams for a while
graceful_timeout = 30
keepalive = 5
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))  # recycle workers: bounded memory
max_requests_jitter = 200
# Access log and errors on stdout/stderr: journald or Docker collect them. The app's own JSON
# line per request (doanhub.request_log) adds the user and the duration in milliseconds.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# The TLS proxy on the same host or network sets X-Forwarded-Proto (settings.SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
