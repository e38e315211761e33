"""Uploaded import files waiting between preview and confirm: kept under MEDIA_ROOT/imports,
named by a random token and tied to the user who uploaded them (another user's token is 404)."""

import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,40}$")


@dataclass(frozen=True)
class Upload:
    token: str
    path: Path
    kind: str
    name: str
    options: dict


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_stale(folder: Path, max_age_hours: int = 24) -> None:
    """Uploads never confirmed hold personal data: keep them a day at most."""
    limit = time.time() - max_age_hours * 3600
    for path in folder.glob("*.*"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def save_upload(*, file, kind: str, user, options: dict | None = None) -> str:
    token = secrets.token_urlsafe(18)
    folder = _folder()
    _forget_stale(folder)
    with open(folder / f"{token}.xlsx", "wb") as out:
        for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
            out.write(chunk)
    meta = {"kind": kind, "user": user.pk, "name": getattr(file, "name", ""), "options": options or {}}
    (folder / f"{token}.json").write_text(json.dumps(meta, ensure_ascii=False))
    return token


def load_upload(*, token: str, user) -> Upload:
    if not TOKEN.match(token or ""):
        raise Http404("Không tìm thấy tệp đã tải lên.")
    folder = _folder()
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
    except FileNotFoundError:
        raise Http404("Tệp đã tải lên không còn (đã nhập hoặc đã hủy).") from None
    if meta["user"] != user.pk:
        raise Http404("Không tìm thấy tệp đã tải lên.")
    return Upload(token, folder / f"{token}.xlsx", meta["kind"], meta["name"], meta.get("options") or {})


def discard(upload: Upload) -> None:
    upload.path.unlink(missing_ok=True)
    upload.path.with_suffix(".json").unlink(missing_ok=True)
