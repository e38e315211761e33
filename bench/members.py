"""Members Excel import/export at scale, beside the COPY floor for the same rows (issue 13).

    .venv/bin/python bench/members.py [ROWS] [--db URL] [--code DIR] [--no-floor]

ROWS (default 100000) new members over every chi đoàn of the database, written as an .xlsx the
way the export writes one. Then, each step in a process of its own (so each peak RSS is that
step's): the dry run (read + validate), the import (all new), the re-import of the same file
(every row an update) and the export of those ROWS members; beside the import and re-import,
the floor: the same rows, folded and written by COPY with the same columns, the same summary
count changes and the audit entry (the re-import's floor: COPY into a temporary table and one
UPDATE … FROM joined on CCCD), rolled back. Validation is the one thing the floor leaves out.

``--db`` runs on an existing, migrated database (a clone of doanhub_1m_base: a re-run needs a
fresh clone, the rows stay); without it, a database of its own with a 5,000-member demo tree.
``--code`` runs the import steps with another checkout (for "before" figures; the floor and
the file always come from this one).

Measured 04/12/2026 on a quiet machine, a clone of a fresh doanhub_1m_base (1,000,000 members),
``bench/members.py 100000 --db postgres://…/doanhub_1m_imp``, load 2.8 → 1.7: dry run 8.2 s
(276 MB), import 14.7 s (295 MB; floor 8.3 s, 1.8×), re-import 15.8 s (335 MB; floor 7.8 s,
2.0×), export 2.6 s (100 MB). Issue 13's goals (≤ 25 s, ≤ 30 s, ≤ 400 MB, export ≤ 5 s) hold
at 10⁶; the 43.3 s / 47.9 s / 7.0 s of 03/12 were taken under loads of 8–9. At 6·10⁶ members
(``manage.py seed_demo --members 6000000`` into doanhub_6m_imp, 190,298 chi đoàn, VACUUM ANALYZE;
load 2.3 → 1.3): dry run 13.7 s (323 MB), import 27.6 s (342 MB; floor 17.7 s, 1.6×: the goal
of 25 s is missed, the floor itself grew with the table's indexes), re-import 24.8 s (376 MB;
floor 10.4 s, 2.4×), export 4.6 s (97 MB). Before the chi đoàn of a file shared their levels
(3e1c3f1) the same run peaked at 390 / 391 / 438 MB.

Measured 07/12/2026 (another machine, 2 cores, load 1.0–1.2 throughout) at 6·10⁶ members
(``seed_demo --members 6000000``: 519.9 s, 11,541 members/s, peak RSS 282 MB; VACUUM ANALYZE),
each run on a fresh clone after a CHECKPOINT. Before (06c36c5, ``--code`` a checkout of it, on a
clone migrated back to organizations 0008), three runs: import 25.0 / 27.8 / 33.1 s (floor 14.2 /
18.7 / 21.3 s), dry run 9.4 / 11.9 / 16.5 s, re-import 17.2 / 19.0 / 22.9 s, export 2.5 s. After
(matching by index lookups, members 0013's three indexes fewer and the person index, organizations
0009's fillfactor), four runs: import 18.4 / 23.8 / 21.7 / 20.0 s (floor 13.0 / 15.0 / 11.9 /
12.6 s), dry run 10.8 / 15.7 / 9.0 / 8.9 s, re-import 22.3 / 16.3 / 20.4 / 19.6 s (floor 9.0 /
8.4 / 9.2 / 10.5 s), export 2.2–3.2 s; peak RSS 342 / 376 / 98 MB as before (the first two
"after" runs predate the person index). Where the 6·10⁶ dry run went, by phase (bench wrappers,
wall): the three matching joins 6.53 s → 2.08 s (each hashed the whole members table, 1.2 GB,
2.3 s a way; now 100,000 index lookups), the person way 6.1 s → 0.75 s with a file of matching
rows (a common folded name matched ~1,000 members; now chi đoàn + name + birth date). The
counters' update 1.86 → 0.87 s at 10⁶ (HOT updates). At 10⁶ the same day: before 14.5 s /
re-import 17.0 s / dry 7.2 s, after 15.6 / 22.1 / 8.9 s, one run each (the index lookups cost
1.4–1.8 s where the hash join cost 1.4–1.5 s on a file of saved members, and 0.5–0.6 s against
0.95–1.4 s on new ones: the difference at 10⁶ is within this machine's ±15 %)."""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = ("dry", "import", "reimport", "export")
# what a re-import of the template's columns writes: those columns, the search key, the chi
# đoàn's date, who and when (members.resources._written_fields, members.bulk.update_members)
REWRITTEN = [
    "citizen_id",
    "full_name",
    "name_folded",
    "birth_date",
    "gender",
    "branch_id",
    "admitted_on",
    "card_number",
    "ethnicity",
    "phone",
    "joined_branch_on",
    "updated_by_id",
    "updated_at",
]


def lines(rows: int, branch_codes: list[str]):
    """The bench file's rows as the user types them (text dates), the same on every call."""
    rng = random.Random(3)
    today = date.today()
    for i in range(rows):
        birth = today - timedelta(days=rng.randint(18 * 366, 29 * 365))
        admitted = birth + timedelta(days=rng.randint(16 * 366, 17 * 365))
        yield [
            f"{rng.choice(['Nguyễn', 'Trần', 'Lê', 'Phạm'])} {rng.choice(['Văn', 'Thị', 'Minh'])} Bench {i}",
            birth.strftime("%d/%m/%Y"),
            rng.choice(["Nam", "Nữ"]),
            f"9{i:011d}",
            rng.choice(branch_codes),
            admitted.strftime("%d/%m/%Y"),
            f"BV{i:09d}" if i % 5 else "",
            "Kinh",
            f"09{rng.randint(10**7, 10**8 - 1)}",
        ]


def branch_codes() -> list[str]:
    from organizations.models import Organization

    units = Organization.objects.filter(level__is_branch=True, status=Organization.Status.ACTIVE)
    return sorted(units.values_list("code", flat=True))


# -- the steps, each run in its own process -------------------------------------------------------


def step_write(args) -> dict:
    from members import xlsxwriter
    from members.importers import MEMBER_REQUIRED

    codes = branch_codes()
    xlsxwriter.write(args.file, sheet="Đoàn viên", headers=MEMBER_REQUIRED, rows=lines(args.rows, codes))
    return {"branches": len(codes)}


def step_import(args, *, dry_run: bool) -> dict:
    from members.importers import MemberImporter

    result = MemberImporter(user=None).run(args.file, dry_run=dry_run)
    assert result.ok, result.errors[:5]
    return {"created": result.created, "updated": result.updated}


def step_export(args) -> dict:
    from members import exporting
    from members.models import Member

    out = Path(args.file).with_name("export.xlsx")
    count = exporting.export_members(Member.objects.filter(pk__gt=args.after), out)
    return {"exported": count, "file_mb": round(out.stat().st_size / 1e6, 1)}


def _floor_rows(args):
    """The bench rows as the import writes them: parsed dates, the chi đoàn's id, the import's
    own defaults for the columns the file leaves out."""
    from datetime import datetime

    from members.bulk import COPY_FIELDS, DEFAULTS
    from members.models import Member
    from organizations.models import Organization

    ids = dict(Organization.objects.filter(level__is_branch=True).values_list("code", "pk"))
    gender = {"Nam": Member.Gender.MALE, "Nữ": Member.Gender.FEMALE}
    for name, birth, sex, cid, code, admitted, card, ethnicity, phone in lines(args.rows, branch_codes()):
        admitted_on = datetime.strptime(admitted, "%d/%m/%Y").date()
        values = {
            **DEFAULTS,
            "branch_id": ids[code],
            "full_name": name,
            "birth_date": datetime.strptime(birth, "%d/%m/%Y").date(),
            "gender": gender[sex],
            "citizen_id": cid,
            "card_number": card or None,
            "admitted_on": admitted_on,
            "ethnicity": ethnicity,
            "phone": phone,
            "status": Member.Status.ACTIVE,
            "joined_branch_on": admitted_on,
        }
        yield [values.get(f) for f in COPY_FIELDS]


def step_floor(args, *, update: bool) -> dict:
    """The least any import of these rows must do, validation aside; rolled back."""
    from collections import Counter

    from django.db import connection, transaction
    from django.utils import timezone

    from members.bulk import COPY_FIELDS
    from organizations import audit
    from organizations.models import Organization
    from organizations.services import add_to_counts, copy_rows
    from organizations.text import fold

    now = timezone.now().isoformat()
    name_at, branch_at = COPY_FIELDS.index("name_folded"), COPY_FIELDS.index("branch_id")
    per_branch: Counter = Counter()

    def rows():
        for row in _floor_rows(args):
            row[name_at] = fold(row[COPY_FIELDS.index("full_name")])
            row[COPY_FIELDS.index("created_at")] = row[COPY_FIELDS.index("updated_at")] = now
            per_branch[row[branch_at]] += 1
            yield row

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        if update:
            at = [COPY_FIELDS.index(f) for f in REWRITTEN]
            raw.execute(
                f"CREATE TEMP TABLE floor_rows AS SELECT {', '.join(REWRITTEN)} FROM members_member WITH NO DATA"
            )
            count = copy_rows("floor_rows", REWRITTEN, ([row[i] for i in at] for row in rows()))
            sets = ", ".join(f"{c} = u.{c}" for c in REWRITTEN if c != "citizen_id")
            raw.execute(f"UPDATE members_member m SET {sets} FROM floor_rows u WHERE m.citizen_id = u.citizen_id")
            assert raw.rowcount == count, (raw.rowcount, count)
        else:
            count = copy_rows("members_member", COPY_FIELDS, rows())
            paths = dict(Organization.objects.filter(pk__in=per_branch).values_list("pk", "path"))
            add_to_counts((paths[pk], n, 0, 0) for pk, n in per_branch.items())
        root = Organization.objects.get(depth=1)
        audit.record(target=root, action="import_members", organization=root, to_state=f"{count} mới")
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"rows": count, "seconds": seconds}


def run_step(name: str, args) -> dict:
    if name == "write":
        return step_write(args)
    if name in ("dry", "import", "reimport"):
        return step_import(args, dry_run=name == "dry")
    if name == "export":
        return step_export(args)
    return step_floor(args, update=name == "floor_update")


def child(args) -> None:
    """One step, in this process: prints its figures as one JSON line."""
    sys.path.insert(0, args.code)
    os.chdir(args.code)
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanhub.settings")
    import resource

    import django

    django.setup()
    load = os.getloadavg()[0]
    started = time.perf_counter()
    figures = run_step(args.step, args)
    seconds = figures.pop("seconds", None) or time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss, "load": [load, os.getloadavg()[0]], **figures}))


# -- the driver ------------------------------------------------------------------------------------


def _spawn(step: str, args, code: str, **extra) -> dict:
    command = [sys.executable, __file__, "--step", step, "--db", args.db, "--code", code, "--file", args.file]
    command += [str(args.rows), *(f"--{k}={v}" for k, v in extra.items())]
    out = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _members_max_pk(url: str) -> int:
    name = url.rsplit("/", 1)[1]
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SELECT coalesce(max(id), 0) FROM members_member", name],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip())


def _line(label: str, rows: int, figures: dict) -> str:
    label = {"floor_new": "COPY floor, new rows", "floor_update": "COPY floor, updates"}.get(label, label)
    seconds = figures["seconds"]
    rate = rows / seconds if seconds else 0
    low, high = figures["load"]
    return (
        f"  {label:<28} {rows:>8,} rows {seconds:7.1f} s {rate:9,.0f} rows/s"
        f"   peak RSS {figures['rss_mb']:5.0f} MB   load {low:.1f}→{high:.1f}"
    ).replace(",", ".")


def main(args) -> None:
    if not args.db:
        sys.path.insert(0, str(HERE))
        from _setup import setup

        setup("members", fresh=True)
        from members import demo

        demo.seed(members=5000, seed=1)
        args.db = os.environ["DATABASE_URL"]
    code = str(Path(args.code or HERE.parent).resolve())
    here = str(HERE.parent)
    folder = tempfile.mkdtemp(prefix="bench-members-")
    args.file = str(Path(folder) / "members.xlsx")
    wrote = _spawn("write", args, here)
    members_before = _members_max_pk(args.db)
    print(
        f"{args.rows:,} rows over {wrote['branches']:,} chi đoàn, PostgreSQL {args.db.rsplit('/', 1)[1]}, code {code}"
    )
    print(f"  load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    labels = {"dry": "dry run (read + validate)", "import": "import (all new)", "reimport": "re-import (all updates)"}
    results = {}

    def measure(name: str, step_code: str) -> None:  # printed as it comes: a long run keeps what it measured
        figures = results[name] = _spawn(name, args, step_code, after=members_before)
        label = f"export {figures.get('exported', 0):,} members" if name == "export" else labels.get(name, name)
        print(_line(label, args.rows, figures), flush=True)

    if not args.no_floor:
        measure("floor_new", here)
    for step in STEPS:
        if step == "reimport" and not args.no_floor:
            measure("floor_update", here)
        measure(step, code)
    floors = {"import": "floor_new", "reimport": "floor_update"}
    for new, floor in floors.items():
        if floor in results:
            print(f"  {new} / floor: {results[new]['seconds'] / results[floor]['seconds']:.1f}×")
    print(f"  load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=100_000)
    parser.add_argument("--db", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--code", default="")
    parser.add_argument("--no-floor", action="store_true")
    parser.add_argument("--step", default="")
    parser.add_argument("--file", default="")
    parser.add_argument("--after", type=int, default=0)
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse(sys.argv[1:])
    child(arguments) if arguments.step else main(arguments)
