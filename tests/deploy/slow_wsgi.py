"""The site's WSGI app plus one page that stays busy until the test lets it go, to show that
gunicorn (deploy/gunicorn.conf.py) answers /healthz beside a slow page. Test-only."""

import os
import time
from pathlib import Path

from doanhub.wsgi import application as site

SIGNALS = Path(os.environ["SLOW_SIGNALS"])


def application(environ, start_response):
    if environ["PATH_INFO"] != "/slow":
        return site(environ, start_response)
    (SIGNALS / "started").touch()
    deadline = time.monotonic() + 30  # bounded, whatever happens to the test
    while not (SIGNALS / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"slow page done"]
