"""A JSON line per request on stdout: method, path, status, duration, user id (README "Logs")."""

import json
import logging

from django.urls import reverse

from doanhub.log_format import JsonFormatter


def request_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "doanhub.requests"]


def test_it_logs_a_signed_in_users_request(client, users, caplog):
    client.force_login(users.province_staff)
    with caplog.at_level(logging.INFO, logger="doanhub.requests"):
        client.get(reverse("home"))
    (line,) = request_lines(caplog)
    assert (line.method, line.path, line.status, line.user_id) == ("GET", "/", 200, users.province_staff.pk)
    assert line.duration_ms >= 0


def test_it_logs_an_anonymous_redirect_without_a_user(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="doanhub.requests"):
        client.get(reverse("home"))
    (line,) = request_lines(caplog)
    assert (line.status, line.user_id) == (302, None)


def test_it_leaves_the_query_string_out(client, users, caplog):
    """A search for a member's name or CCCD is personal data: the path alone is logged."""
    client.force_login(users.province_staff)
    with caplog.at_level(logging.INFO, logger="doanhub.requests"):
        client.get(reverse("members:index"), {"q": "079200000001"})
    (line,) = request_lines(caplog)
    assert line.path == reverse("members:index")
    assert "079200000001" not in JsonFormatter().format(line)


def test_a_line_is_one_json_object_with_the_fields(client, users, caplog):
    client.force_login(users.secretary)
    with caplog.at_level(logging.INFO, logger="doanhub.requests"):
        client.post(reverse("home"))
    parsed = json.loads(JsonFormatter().format(request_lines(caplog)[0]))
    assert parsed["logger"] == "doanhub.requests" and parsed["method"] == "POST"
    assert {"time", "level", "path", "status", "duration_ms", "user_id"} <= set(parsed)
    assert parsed["user_id"] == users.secretary.pk


def test_the_formatter_keeps_vietnamese_readable():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "Đoàn viên %s", ("Nguyễn Thị Ánh",), None)
    assert '"message": "Đoàn viên Nguyễn Thị Ánh"' in JsonFormatter().format(record)
