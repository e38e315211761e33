"""Files through the storage API: local disk against an S3-compatible store (moto's server here).

.venv/bin/python bench/storage.py [MB ...]   (file sizes; default: 1 20)

For each store and size, the median of 3 runs of what the code does with an import upload or a
report workbook: ``save`` (members.uploads.save: the web's upload), ``copy`` (uploads.local_copy:
the worker's local seekable copy for the reader), ``stream`` (storage.open read in FileResponse's
blocks: a download), and ``sweep`` (uploads.forget_stale over 200 stored files: one listing,
then one get_modified_time for each file no job keeps). No database is used. moto runs in this
process, so the S3 figures are the code path and HTTP on loopback, not a real network; peak RSS
is this process's.

Measured on 03/12/2026, 14:11 UTC (2 cores shared with other engineers' test runs: load average
10.3 before, 8.6 after; moto 5.2.5 in this process):

    store  MB | save s  copy s  stream s | sweep 200: kept orphans s | RSS MB
    local   1 |  0.001   0.001     0.001 | 0.000  0.012 |    124
    local  20 |  0.043   0.028     0.023 |              |    144
    s3      1 |  0.172   0.194     0.162 | 0.426 10.459 |    153
    s3     20 |  1.076   0.658     0.620 |              |    446

The S3 figures are dominated by moto (a Python server on the same two cores, holding every
object in memory: most of the RSS); the code's own reads spool to disk past 8 MB
(``max_memory_size``). The sweep's cost on S3 is one listing per 1000 files plus a HEAD request
for each file no job keeps (orphans, normally none): ~50 ms each here.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8113  # one of the job-fault tests' ports (8111-8117)
RUNS = 3
SWEEP_FILES = 200
BLOCK = 4096  # FileResponse's block size


def _s3_storages(endpoint: str) -> dict:
    options = {
        "bucket_name": "doanhub-bench",
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": "bench",
        "secret_key": "bench",
        "default_acl": None,
        "file_overwrite": False,
        "max_memory_size": 8 * 1024 * 1024,
    }
    return {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}


def _median(call) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(size_mb: int) -> dict:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from members import uploads

    payload = os.urandom(size_mb * 1024 * 1024)
    name = uploads.save(ContentFile(payload, name="bench.xlsx"))

    def stream():
        with default_storage.open(uploads.key(name), "rb") as handle:
            while handle.read(BLOCK):
                pass

    def copy():
        uploads.local_copy(name).close()

    figures = {
        "save": _median(lambda: uploads.remove(uploads.save(ContentFile(payload, name="b.xlsx")))),
        "copy": _median(copy),
        "stream": _median(stream),
    }
    uploads.remove(name)
    return figures


def sweep() -> tuple[float, float]:
    """(files all kept by their jobs: the usual case, one listing; files no job keeps: one
    modified-time look-up each). None is a day old, so none is removed."""
    from django.core.files.base import ContentFile

    from members import uploads

    names = {uploads.save(ContentFile(b"PK", name="s.xlsx")) for _ in range(SWEEP_FILES)}
    figures = _median(lambda: uploads.forget_stale(keep=names)), _median(uploads.forget_stale)
    for name in names:
        uploads.remove(name)
    return figures


def main(sizes: list[int]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanhub.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import boto3
    from _setup import peak_rss_mb
    from django.test.utils import override_settings
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=PORT, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{PORT}"
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="b", aws_secret_access_key="b"
    ).create_bucket(Bucket="doanhub-bench")
    print("store  MB | save s  copy s  stream s | sweep 200: kept orphans s | RSS MB")
    try:
        with tempfile.TemporaryDirectory() as media:
            stores = {
                "local": override_settings(MEDIA_ROOT=media),
                "s3": override_settings(STORAGES=_s3_storages(endpoint)),
            }
            for store, context in stores.items():
                with context:
                    kept, orphans = sweep()
                    for i, size in enumerate(sizes):
                        f = measure(size)
                        column = f"{kept:5.3f} {orphans:6.3f}" if i == 0 else " " * 12
                        print(
                            f"{store:5} {size:3} | {f['save']:6.3f}  {f['copy']:6.3f}  {f['stream']:8.3f} | {column} |"
                            f" {peak_rss_mb():6.0f}",
                            flush=True,
                        )
    finally:
        server.stop()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1, 20])
