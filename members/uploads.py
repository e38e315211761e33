"""Uploaded import files waiting for their import job (members.ImportJob): kept in the default
storage under ``imports/`` (local MEDIA_ROOT, or the S3-compatible store every machine shares),
named by a random token (never by the user's file name, so a name can neither collide nor climb
out of the folder), and never kept longer than a day unless being written."""

import re
import secrets
import shutil
import tempfile
from datetime import timedelta

from django.core.files.storage import default_storage
from django.utils import timezone

MAX_AGE = timedelta(hours=24)  # never-confirmed uploads hold personal data: a day at most
NAME = re.compile(r"^[A-Za-z0-9_-]{20,40}\.xlsx$")
FOLDER = "imports"


def key(name: str) -> str:
    if not NAME.match(name or ""):
        raise FileNotFoundError(name)
    return f"{FOLDER}/{name}"


def save(file) -> str:
    """Store an uploaded file; returns the name the job keeps."""
    name = f"{secrets.token_urlsafe(18)}.xlsx"
    stored = default_storage.save(key(name), file)
    if stored != key(name):  # a storage that renamed it (never with a fresh token): keep it findable
        default_storage.delete(stored)
        raise FileExistsError(name)
    return name


def exists(name: str) -> bool:
    try:
        return default_storage.exists(key(name))
    except FileNotFoundError:
        return False


def local_copy(name: str):
    """The stored file copied to a local, seekable temporary file for the reader (a zip needs
    seeking), wherever the storage keeps it; closing it removes it. FileNotFoundError when gone."""
    copy = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 (the caller closes it)
    try:
        with default_storage.open(key(name), "rb") as source:
            shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
    except BaseException:
        copy.close()
        raise
    return copy


def remove(name: str) -> None:
    if NAME.match(name or ""):
        default_storage.delete(key(name))


def forget_stale(*, keep: set[str] = frozenset()) -> None:
    """Remove every file older than a day except ``keep`` (files a worker is about to write):
    this also sweeps files whose job is gone and those of the token-only uploads of before."""
    limit = timezone.now() - MAX_AGE
    try:
        _, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:  # nothing uploaded yet on this disk
        return
    for name in names:
        if name not in keep and (_modified(name) or limit) < limit:
            default_storage.delete(f"{FOLDER}/{name}")


def _modified(name: str):
    """When a listed file was stored; None when it went meanwhile: another worker's sweep, or a
    write that finished (every worker sweeps at the start of each step)."""
    try:
        return default_storage.get_modified_time(f"{FOLDER}/{name}")
    except Exception:  # noqa: BLE001 - FileNotFoundError on disk, the client's 404 error on S3
        if default_storage.exists(f"{FOLDER}/{name}"):
            raise
        return None
