import pytest

from api.throttling import PerTokenThrottle


@pytest.fixture
def three_a_minute(monkeypatch):
    # DRF reads the rates once at import; the setting's value is DOANHUB_API_RATE (default 600/min)
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "3/min"})


def test_it_throttles_each_token_on_its_own(tree, users, bearer, three_a_minute):
    first, second = bearer(users.district_approver), bearer(users.district_approver)
    assert [first.get("/api/v1/units/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/api/v1/units/")
    assert refused.status_code == 429 and "Retry-After" in refused
    assert "Mã truy cập này gửi quá nhiều yêu cầu; thử lại sau" in refused.json()["detail"]
    assert second.get("/api/v1/units/").status_code == 200  # another token: its own budget


def test_it_throttles_a_browser_session_per_user(tree, users, session, three_a_minute):
    client = session(users.secretary)
    assert [client.get("/api/v1/units/").status_code for _ in range(4)] == [200, 200, 200, 429]
