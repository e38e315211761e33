"""Drive a running DoanHub over HTTP as a person would (called by deploy/smoke.sh).

Python's standard library only, plus openpyxl (a runtime dependency) to fill the import template
the site hands out. Every request but the plain-HTTP health probe carries X-Forwarded-Proto:
https, as the TLS proxy's would. Each step is asserted; a failure exits non-zero with the reason.

    smoke_drive.py BASE_URL LOGIN PASSWORD PROVINCE_CODE BRANCH_CODE
"""

import http.client
import io
import json
import re
import sys
import time
import uuid
from datetime import date
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from openpyxl import Workbook, load_workbook

DEADLINE_SECONDS = 90  # per job: a 300-member demo report or a one-row import takes seconds


class Fail(Exception):
    pass


def check(condition, message: str) -> None:
    if not condition:
        raise Fail(message)


class Browser:
    """Cookies by hand: the session cookie is Secure, and urllib's jar would not send it over
    the plain HTTP that gunicorn speaks behind its TLS proxy."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.origin = f"https://{parts.netloc}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None, proxied=True):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        sent = {"Host": f"{self.host}:{self.port}", **(headers or {})}
        if proxied:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            sent.update(Origin=self.origin, Referer=self.origin + path)
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response.status, response.headers, data

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields: dict, files: dict | None = None):
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body=body, headers={"Content-Type": content_type})


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def location_path(headers) -> str:
    return urlsplit(headers.get("Location", "")).path


def wait_for(what: str, probe):
    """Poll ``probe()`` every half second until it returns something, within the deadline."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        answer = probe()
        if answer is not None:
            return answer
        time.sleep(0.5)
    raise Fail(f"{what}: not finished after {DEADLINE_SECONDS} s")


# -- the steps ------------------------------------------------------------------------------------


def step_healthz(browser: Browser) -> None:
    status, headers, body = browser.get("/healthz", proxied=False)
    check(status == 200, f"/healthz over plain HTTP answered {status} {headers.get('Location', '')} {body[:200]!r}")
    health = json.loads(body)
    check(health["database"]["ok"] and health["broker"]["ok"], f"/healthz: {health}")
    status, headers, _ = browser.get("/dang-nhap/", proxied=False)
    check(status == 301 and headers["Location"].startswith("https://"), f"plain HTTP login page: {status}, no redirect")


def step_login(browser: Browser, login: str, password: str) -> None:
    status, _, _ = browser.get("/dang-nhap/")
    check(status == 200 and "csrftoken" in browser.cookies, f"login page answered {status} without a CSRF cookie")
    status, headers, body = browser.post("/dang-nhap/", {"username": login, "password": password})
    check(status == 302 and location_path(headers) == "/", f"login as {login}: {status} {body[:300]!r}")
    status, _, _ = browser.get("/")
    check(status == 200, f"home page after login: {status}")


def step_report(browser: Browser, root: str) -> str:
    browser.get("/bao-cao/")
    fields = {"kind": "membership", "year": date.today().year, "compare": 0, "root": root}
    status, headers, body = browser.post("/bao-cao/", fields)
    check(
        status == 302 and re.match(r"^/bao-cao/\d+/$", location_path(headers)),
        f"report request: {status} {body[:300]!r}",
    )
    job = location_path(headers)

    def finished():
        status, _, body = browser.get(job + "tien-do/")
        check(status == 200, f"report progress answered {status}")
        label = re.search(rb'data-testid="job-status">([^<]*)<', body).group(1).decode()
        return label if label in ("Đã xong", "Bị lỗi") else None

    label = wait_for("report job", finished)
    check(label == "Đã xong", f"report job {job} ended “{label}”")
    status, headers, body = browser.get(job + "tai-ve/")
    check(status == 200 and body[:2] == b"PK", f"report download answered {status} ({len(body)} bytes)")
    sheets = load_workbook(io.BytesIO(body), read_only=True).sheetnames
    return f"{job} done, {len(body)} bytes, sheets {sheets}"


def filled_template(browser: Browser, branch: str) -> bytes:
    status, _, body = browser.get("/doan-vien/nhap-excel/mau/members.xlsx")
    check(status == 200 and body[:2] == b"PK", f"import template answered {status}")
    headers = [c.value for c in next(load_workbook(io.BytesIO(body), read_only=True).active.iter_rows(max_row=1))]
    values = {
        "Họ và tên": "Trần Thị Kiểm Thử",
        "Ngày sinh": "15/05/2001",
        "Giới tính": "Nữ",
        "Số CCCD": "079301009999",
        "Mã chi đoàn": branch,
        "Ngày vào Đoàn": "26/03/2018",
        "Dân tộc": "Kinh",
        "Số điện thoại": "0912000999",
    }
    missing = [h for h in values if h not in headers]
    check(not missing, f"import template lacks the columns {missing}; it has {headers}")
    workbook = Workbook()
    workbook.active.append(headers)
    workbook.active.append([values.get(h, "") for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_state(browser: Browser, job: str, busy_states=("queued", "checking", "write_queued", "writing")):
    def probe():
        status, _, body = browser.get(job + "tien-do/?format=json")
        check(status == 200, f"import progress answered {status}")
        state = json.loads(body)
        return None if state["status"] in busy_states else state

    return wait_for("import job", probe)


def page_text(browser: Browser, path: str) -> str:
    """The page's main text without tags, to show what it says when a step fails."""
    body = browser.get(path)[2].decode()
    main = body[body.find("<main") :] if "<main" in body else body
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))[:800]


def step_import(browser: Browser, branch: str) -> str:
    content = filled_template(browser, branch)
    browser.get("/doan-vien/nhap-excel/")
    status, headers, body = browser.post(
        "/doan-vien/nhap-excel/", {"kind": "members"}, files={"file": ("kiem-thu.xlsx", content)}
    )
    check(status == 302, f"upload answered {status} {body[:300]!r}")
    job = location_path(headers)
    state = import_state(browser, job)
    check(
        state["status"] == "checked" and state["errors"] == 0, f"check of the upload: {state} {page_text(browser, job)}"
    )
    check(state["created"] == 1, f"the check counted {state['created']} new rows, not 1")
    status, headers, _ = browser.post(job + "xac-nhan/", {})
    check(status == 302, f"confirm answered {status}")
    state = import_state(browser, job)
    check(state["status"] == "imported" and state["created"] == 1, f"write of the upload: {state}")
    status, _, body = browser.get(job)
    check(status == 200 and "Đã nhập 1 mới" in body.decode(), "the job page does not say the row was imported")
    return f"{job} imported 1 row"


def main(base: str, login: str, password: str, province: str, branch: str) -> int:
    browser = Browser(base)
    steps = [
        ("healthz over plain HTTP (200), login page redirected to https", lambda: step_healthz(browser)),
        (f"log in as {login} through the form (CSRF)", lambda: step_login(browser, login, password)),
        (f"report membership of {province}: request, worker, download", lambda: step_report(browser, province)),
        (f"member import into {branch}: upload, check, confirm, write", lambda: step_import(browser, branch)),
    ]
    for name, run in steps:
        started = time.monotonic()
        try:
            detail = run()
        except Fail as exc:
            print(f"FAIL  {name}: {exc}", flush=True)
            return 1
        print(f"ok    {time.monotonic() - started:6.2f} s  {name}{'  — ' + detail if detail else ''}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:6]))
