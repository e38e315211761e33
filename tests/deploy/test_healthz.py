"""/healthz: no login, JSON, and the broker probed at most once every few seconds per process."""

import json

import pytest

from doanhub import health


@pytest.fixture
def probes(monkeypatch, celery_app):
    """Counts real broker probes (of the in-memory broker, whatever the environment names); the
    cache starts empty."""
    calls = []
    monkeypatch.setattr(health, "_broker_answer", {})
    real = health._probe_broker

    def counting(app):
        calls.append(app.conf.broker_url)
        return real(app)

    monkeypatch.setattr(health, "_probe_broker", counting)
    return calls


def test_it_needs_no_login(client, db, probes):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["broker"] == {"ok": True, "detail": "memory"}


def test_it_probes_the_broker_once_for_many_calls(client, db, probes):
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
    assert len(probes) == 1


def test_it_probes_again_once_the_answer_is_old(client, db, probes, monkeypatch):
    client.get("/healthz")
    monkeypatch.setattr(health, "BROKER_CHECK_SECONDS", 0)
    client.get("/healthz")
    assert len(probes) == 2


# A broker URL where nothing listens (port 1), with a password the answer must never show.
DEAD = "redis://:secret@127.0.0.1:1/0"


def test_it_keeps_a_failure_as_briefly_as_a_success(client, db, probes, dead_broker):
    with dead_broker(DEAD):
        first = client.get("/healthz")
        second = client.get("/healthz")
    assert first.status_code == second.status_code == 503
    assert json.loads(second.content)["broker"] == {"ok": False, "detail": "OperationalError"}
    assert len(probes) == 1


def test_it_never_names_the_broker_host_or_password(client, db, probes, dead_broker):
    with dead_broker(DEAD):
        body = client.get("/healthz").content.decode()
    assert "secret" not in body and "127.0.0.1" not in body


def test_it_rejects_post(client, db):
    assert client.post("/healthz").status_code == 405
