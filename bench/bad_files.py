"""Peak memory of ``import_xlsx members FILE --dry-run`` on each bad file of issue 14 (target: under
500 MB each; the issue's 1 GiB-cell bomb once took 11.9 GB).

.venv/bin/python bench/bad_files.py [NAME ...]      (default: every file below)

Each file is built under var/bench/, then checked by the command in a child process; the child's
own peak RSS comes from ``os.wait4`` (the ``resource.getrusage(RUSAGE_CHILDREN)`` figures, for
that one child rather than the largest child so far)."""

import itertools
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from _setup import ROOT, setup

GIB = 1024**3


def _builders():
    from tests.members import bad_xlsx as b

    def oversized(path):
        path = b.workbook(path, b.member_rows(1))
        with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as z:  # incompressible padding: 21 MB on disk
            z.writestr("xl/media/image1.png", os.urandom(21 * 1024 * 1024))
        return path

    def lying(path):
        path = b.bomb(path, GIB)
        part = next(p for p in zipfile.ZipFile(path).infolist() if p.filename == b.SHEET)
        return b.lie_about(path, b.SHEET, file_size=part.compress_size * 100, compress_size=part.compress_size)

    strings = (f"<si><t>x{i}</t></si>" for i in range(1_000_001))
    return {
        "bomb-1gib-cell": lambda p: b.bomb(p, GIB),
        "bomb-directory-lies": lying,
        "bomb-shared-string": lambda p: b.workbook(
            p, b.member_rows(1), strings=itertools.chain(["<si><t>"], b.repeated("B", GIB), ["</t></si>"])
        ),
        "rows-200001": lambda p: b.workbook(p, b.member_rows(200_001)),
        "oversized-21mb": oversized,
        "cell-32768-chars": lambda p: b.workbook(p, [b.row_xml(2, ["x" * 32_768])]),
        "shared-strings-1000001": lambda p: b.workbook(p, b.member_rows(1), strings=strings),
        "rows-200000-at-limit": lambda p: b.workbook(p, b.member_rows(200_000)),
    }


def measure(path) -> tuple[str, float, float]:
    """(first line the command printed, seconds, child's peak RSS in MB)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "manage.py", "import_xlsx", "members", str(path), "--dry-run"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = child.stdout.read().decode(errors="replace")
    _, _, usage = os.wait4(child.pid, 0)
    child.returncode = 0
    first = next((line for line in output.splitlines() if line.strip()), "")
    return first, time.perf_counter() - started, usage.ru_maxrss / 1024


def main(names: list[str]) -> None:
    setup("bad_files")
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{'file':<24} {'size':>10} {'seconds':>8} {'peak RSS MB':>12}  verdict", flush=True)
    for name in names or list(_builders()):
        path = folder / f"{name}.xlsx"
        # Built in a process of its own: a child's peak RSS counts the parent's pages at fork.
        subprocess.run([sys.executable, __file__, "--build", name, str(path)], check=True)
        verdict, seconds, rss = measure(path)
        size = path.stat().st_size
        print(f"{name:<24} {size:>10,} {seconds:>8.1f} {rss:>12.0f}  {verdict[:110]}", flush=True)
        path.unlink()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--build"]:
        import django

        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanhub.settings")
        django.setup()
        _builders()[sys.argv[2]](Path(sys.argv[3]))
    else:
        main(sys.argv[1:])
