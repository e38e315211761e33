"""The default: every file through Django's storage API, on the local disk under MEDIA_ROOT; the
S3-compatible store only when the environment asks for it."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage

from members import uploads

ROOT = Path(__file__).resolve().parents[2]
PRINT_STORAGE = "import django; django.setup(); from django.conf import settings; import json; print(json.dumps(settings.STORAGES['default']))"


def _default_storage_under(env: dict) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DOANHUB_STORAGE"))}
    env = {**keep, "DJANGO_SETTINGS_MODULE": "doanhub.settings", **env}
    out = subprocess.run([sys.executable, "-c", PRINT_STORAGE], env=env, cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_default_is_the_local_disk():
    assert _default_storage_under({})["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_the_environment_switches_to_a_private_s3_bucket():
    storage = _default_storage_under(
        {
            "DOANHUB_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "doanhub",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.internal",
            "AWS_S3_REGION_NAME": "hn-1",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "doanhub",
        "https://s3.example.internal",
        "hn-1",
    )
    assert options["default_acl"] is None  # never public-read


def test_an_upload_lands_under_media_root_imports(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert isinstance(default_storage, FileSystemStorage)
    name = uploads.save(ContentFile(b"PK\x03\x04 workbook", name="danh-sach.xlsx"))
    assert (tmp_path / "media" / "imports" / name).read_bytes() == b"PK\x03\x04 workbook"
    with uploads.local_copy(name) as copy:  # what the reader gets: a local, seekable copy
        assert Path(copy.name).read_bytes() == b"PK\x03\x04 workbook"
        assert Path(copy.name) != tmp_path / "media" / "imports" / name
    uploads.remove(name)
    assert not uploads.exists(name) and not (tmp_path / "media" / "imports" / name).exists()


def test_the_sweep_with_nothing_uploaded_yet_is_quiet(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "empty"
    uploads.forget_stale()  # no imports/ folder on this disk: nothing to do, no error


def test_a_file_gone_between_the_listing_and_its_look_up_is_skipped(settings, tmp_path, monkeypatch):
    """Two workers sweep at once: one lists a file the other has just removed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    name = uploads.save(ContentFile(b"PK", name="a.xlsx"))
    monkeypatch.setattr(uploads, "default_storage", ListsAGhost(default_storage))
    uploads.forget_stale()
    assert uploads.exists(name)  # not a day old: kept


class ListsAGhost:
    """The storage, whose listing also names a file that is gone by the time it is looked up."""

    def __init__(self, storage):
        self.storage = storage

    def listdir(self, path):
        folders, files = self.storage.listdir(path)
        return folders, [*files, "gone-meanwhile-xxxxxxxxxxxx.xlsx"]

    def __getattr__(self, name):
        return getattr(self.storage, name)
