"""Uploaded import files waiting for their import job (members.ImportJob): kept under
MEDIA_ROOT/imports, named by a random token (never by the user's file name, so a name can neither
collide nor climb out of the folder), and never kept longer than a day unless being written."""

import re
import secrets
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings

MAX_AGE = timedelta(hours=24)  # never-confirmed uploads hold personal data: a day at most
NAME = re.compile(r"^[A-Za-z0-9_-]{20,40}\.xlsx$")


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(file) -> str:
    """Store an uploaded file; returns the name the job keeps."""
    name = f"{secrets.token_urlsafe(18)}.xlsx"
    with open(folder() / name, "wb") as out:
        for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
            out.write(chunk)
    return name


def path_of(name: str) -> Path:
    if not NAME.match(name or ""):
        raise FileNotFoundError(name)
    return folder() / name


def remove(name: str) -> None:
    if NAME.match(name or ""):
        (folder() / name).unlink(missing_ok=True)


def forget_stale(*, keep: set[str] = frozenset()) -> None:
    """Remove every file older than a day except ``keep`` (files a worker is about to write):
    this also sweeps files whose job is gone and those of the token-only uploads of before."""
    limit = time.time() - MAX_AGE.total_seconds()
    for path in folder().iterdir():
        if path.is_file() and path.name not in keep and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
