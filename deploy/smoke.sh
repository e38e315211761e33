#!/usr/bin/env bash
# Production smoke test: what an operator following README's "Production" section gets.
#
# A fresh virtualenv from requirements.txt ONLY (no test packages), a fresh PostgreSQL database,
# migrate, collectstatic, a 300-member demo, then gunicorn (DJANGO_DEBUG=0, deploy/gunicorn.conf.py),
# a Celery worker and Celery beat on Redis. deploy/smoke_drive.py then drives it over HTTP: /healthz
# over plain HTTP, a login through the real form, one report and one member import to completion.
# Prints each step's time. Stops and removes everything it started on exit, pass or fail.
#
# Environment (defaults in brackets): SMOKE_PG [postgres://postgres@127.0.0.1:5432],
# SMOKE_DB [doanhub_smoke], SMOKE_REDIS [redis://127.0.0.1:6379/5, a database it empties],
# SMOKE_PORT [8101], SMOKE_TIMEOUT [480 s for the whole run], PYTHON [python3], SMOKE_VENV [a new
# one in the temporary folder; give a path to keep and reuse it].
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG="${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}"
DB="${SMOKE_DB:-doanhub_smoke}"
REDIS="${SMOKE_REDIS:-redis://127.0.0.1:6379/5}"
PORT="${SMOKE_PORT:-8101}"
TIMEOUT="${SMOKE_TIMEOUT:-480}"
WORK="$(mktemp -d -t doanhub-smoke.XXXXXX)"
PIDS=()
RUN_STARTED=$SECONDS

cleanup() {
  local rc=$?
  pkill -TERM -P "$WATCHDOG" 2>/dev/null || true  # its sleep
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "$rc" -ne 0 ]; then
    for log in gunicorn worker beat; do
      [ -f "$WORK/$log.log" ] && { echo "--- last lines of $log.log"; tail -n 30 "$WORK/$log.log"; }
    done
  fi
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true
  rm -rf "$WORK"
  echo "smoke: $([ "$rc" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - RUN_STARTED)) s"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# The whole run is bounded: past TIMEOUT a watchdog ends this script's children, so the step
# running fails and the script exits through the cleanup above.
( sleep "$TIMEOUT"; echo "smoke: over ${TIMEOUT} s, stopping"; pkill -TERM -P $$ ) 2>/dev/null &
WATCHDOG=$!
PIDS+=("$WATCHDOG")

step() {  # step "what" command...: runs it, prints its time, output to $WORK/steps.log
  local name="$1" started=$SECONDS
  shift
  if ! "$@" >>"$WORK/steps.log" 2>&1; then
    echo "FAIL  $name"; tail -n 40 "$WORK/steps.log"; return 1
  fi
  printf 'ok    %4d s  %s\n' $((SECONDS - started)) "$name"
}

export DJANGO_DEBUG=0 DJANGO_SECRET_KEY="smoke-$(date +%s%N)-not-a-real-secret-key-for-production-use"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost DATABASE_URL="$PG/$DB" CELERY_BROKER_URL="$REDIS"
export DOANHUB_VAR_DIR="$WORK/var" GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=2 GUNICORN_THREADS=4
export PYTHONDONTWRITEBYTECODE=1
VENV="${SMOKE_VENV:-$WORK/venv}"  # SMOKE_VENV: reuse a venv built by an earlier run (quick re-runs)
PY="$VENV/bin/python"
manage() { (cd "$ROOT" && exec "$PY" manage.py "$@"); }
fresh_db() {
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB" && psql -q "$PG/postgres" -c "CREATE DATABASE $DB"
}
fresh_venv() {
  [ -x "$VENV/bin/python" ] || "${PYTHON:-python3}" -m venv "$VENV"
  "$VENV/bin/pip" install -q -r "$ROOT/requirements.txt"
}
empty_redis() { "$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$REDIS"; }
demo() { manage seed_demo --members 300 --seed 1 --if-empty; }
codes() {  # the demo's first province and one of its chi đoàns, for the driver
  manage shell -c "
from organizations.models import Organization
p = Organization.objects.filter(depth=2).order_by('path').first()
b = Organization.objects.filter(level__is_branch=True, path__startswith=p.path).order_by('path').first()
print(p.code, b.code)" | tail -n 1 >"$WORK/codes"
}
start() {  # start NAME command...: in the background, its output to $WORK/NAME.log
  local name="$1"
  shift
  (cd "$ROOT" && exec "$@") >"$WORK/$name.log" 2>&1 &
  PIDS+=("$!")
}
wait_healthz() {
  for _ in $(seq 60); do
    kill -0 "${PIDS[1]}" 2>/dev/null || { echo "gunicorn exited"; return 1; }
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" && return 0
    sleep 0.5
  done
  curl -sS "http://127.0.0.1:$PORT/healthz"; return 1
}

echo "smoke: fresh production run in $WORK (database $DB, broker $REDIS, port $PORT)"
step "virtualenv from requirements.txt only" fresh_venv
step "no test package in it (pytest absent)" bash -c "! '$PY' -c 'import pytest' 2>/dev/null"
step "fresh PostgreSQL database $DB" fresh_db
step "migrate" manage migrate --noinput
step "collectstatic" manage collectstatic --noinput
step "check --deploy" manage check --deploy --fail-level WARNING
step "demo data (300 members)" demo
step "demo codes" codes
step "empty Redis database" empty_redis
start gunicorn "$VENV/bin/gunicorn" -c deploy/gunicorn.conf.py doanhub.wsgi
start worker "$VENV/bin/celery" -A doanhub worker --loglevel=INFO --concurrency=1 -n "smoke@%h"
start beat "$VENV/bin/celery" -A doanhub beat --loglevel=INFO -s "$WORK/var/celerybeat-schedule"
step "gunicorn answers /healthz" wait_healthz
read -r PROVINCE BRANCH <"$WORK/codes"
driven=$SECONDS
echo "smoke: driving http://127.0.0.1:$PORT as quantri"
(cd "$ROOT" && "$PY" deploy/smoke_drive.py "http://127.0.0.1:$PORT" quantri DoanHub@2026 "$PROVINCE" "$BRANCH")
printf 'ok    %4d s  HTTP steps together\n' $((SECONDS - driven))
step "worker and beat still running" bash -c "kill -0 ${PIDS[2]} && kill -0 ${PIDS[3]}"
step "gunicorn access log and JSON request lines on stdout" \
  bash -c "grep -q '\"GET /healthz' '$WORK/gunicorn.log' && grep -q '\"logger\": \"doanhub.requests\"' '$WORK/gunicorn.log'"
step "worker's JSON task lines name the jobs" bash -c "grep -q '\"task\": \"reports.run_report_job\"' '$WORK/worker.log'"
