# DoanHub — the commands a newcomer needs. `make run` and `make test` work on a fresh machine.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEMO_MEMBERS ?= 5000
BEAT_SCHEDULE ?= $(or $(DOANHUB_VAR_DIR),var)/celerybeat-schedule
# PostgreSQL is used for tests when it answers on 127.0.0.1:5432; SQLite otherwise.
TEST_DATABASE_URL ?= $(shell $(PY) -c "import socket; s=socket.socket(); s.settimeout(0.5); print('postgres://postgres@127.0.0.1:5432/doanhub' if s.connect_ex(('127.0.0.1',5432))==0 else '')")

.PHONY: install install-dev run web worker beat migrate demo test smoke lint format bench clean

$(BIN)/.installed: requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(BIN)/.installed-dev: requirements-dev.txt $(BIN)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed
install-dev: $(BIN)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --members $(DEMO_MEMBERS) --if-empty
	$(BIN)/python manage.py demo_ratings
	$(BIN)/python manage.py demo_fieldwork
	$(BIN)/python manage.py demo_recognition

# The site on http://127.0.0.1:$(PORT), a real Celery worker and Celery beat (the scheduled
# housekeeping) beside it; filesystem broker unless CELERY_BROKER_URL is set. Ctrl-C stops all.
run: demo
	@echo "DoanHub: http://127.0.0.1:$(PORT)  (Ctrl-C để dừng)"
	@export DJANGO_EMAIL_URL=console://; trap 'kill 0' INT TERM EXIT; \
	$(BIN)/celery -A doanhub worker --loglevel=WARNING --concurrency=2 & \
	$(BIN)/celery -A doanhub beat --loglevel=WARNING -s "$(BEAT_SCHEDULE)" & \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/celery -A doanhub worker --loglevel=INFO

beat: install
	$(BIN)/celery -A doanhub beat --loglevel=INFO -s "$(BEAT_SCHEDULE)"

test: install-dev
	$(BIN)/python manage.py compilemessages -v0 --ignore=.venv 2>/dev/null || true
	DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The production path from requirements.txt alone (deploy/smoke.sh): PostgreSQL and Redis needed.
smoke:
	bash deploy/smoke.sh

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 var/
