# DoanHub image: the site (gunicorn), the Celery worker and Celery beat all run from it; the
# command chooses which (compose.yaml). Built from requirements.txt only, as production runs.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DOANHUB_VAR_DIR=/var/lib/doanhub \
    DJANGO_STATIC_ROOT=/app/staticfiles

WORKDIR /app
# postgresql-client: pg_dump/pg_restore for deploy/backup.sh run inside the container.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin doanhub

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=doanhub:doanhub . .
# Static files are collected into the image (WhiteNoise serves them with hashed names); the build
# needs a key but no database.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p "$DOANHUB_VAR_DIR" && chown -R doanhub:doanhub "$DOANHUB_VAR_DIR" /app/staticfiles

USER doanhub
VOLUME ["/var/lib/doanhub"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "doanhub.wsgi"]
