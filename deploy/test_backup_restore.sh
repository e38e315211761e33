#!/usr/bin/env bash
# Backup and restore, once, for real: a small seeded database and a report workbook in the file
# store are backed up (deploy/backup.sh), restored into a new database and folder
# (deploy/restore.sh), and every table's row count and every file's checksum compared. Prints the
# main tables' counts before and after. Cleans up on exit.
#
# Environment: BR_PG [postgres://postgres@127.0.0.1:5432], BR_DB [doanhub_backup_test],
# PY [.venv/bin/python: any venv with requirements.txt].
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PG="${BR_PG:-postgres://postgres@127.0.0.1:5432}"
SRC="${BR_DB:-doanhub_backup_test}"
DST="${SRC}_restored"
PY="${PY:-$ROOT/.venv/bin/python}"
WORK="$(mktemp -d -t doanhub-backup.XXXXXX)"
STARTED=$SECONDS
MAIN_TABLES="organizations_organization organizations_post auth_user members_member members_memberevent
evaluations_assessment organizations_auditentry reports_reportjob"

sql() { psql -q "$PG/postgres" -c "$1" >/dev/null; }
cleanup() {
  local rc=$?
  sql "DROP DATABASE IF EXISTS $SRC" || true
  sql "DROP DATABASE IF EXISTS $DST" || true
  rm -rf "$WORK"
  echo "backup/restore: $([ "$rc" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - STARTED)) s"
  exit "$rc"
}
trap cleanup EXIT

counts() {  # every public table and its row count, one "table count" line each, in one query
  local url="$1" query
  query="$(psql -At "$url" -c "SELECT string_agg(format('SELECT %L, count(*) FROM %I', tablename, tablename),
    ' UNION ALL ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'")"
  psql -At -F ' ' "$url" -c "$query" | sort
}
checksums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }

export DJANGO_DEBUG=1 DATABASE_URL="$PG/$SRC" DJANGO_MEDIA_ROOT="$WORK/media" DOANHUB_VAR_DIR="$WORK/var"
sql "DROP DATABASE IF EXISTS $SRC"; sql "DROP DATABASE IF EXISTS $DST"; sql "CREATE DATABASE $SRC"
(
  cd "$ROOT"
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py seed_demo --members 300 --seed 1 >/dev/null
  "$PY" manage.py demo_ratings >/dev/null
  # A report workbook in the file store, built as a worker builds it.
  "$PY" manage.py shell -v0 -c "
from organizations.models import Organization
from reports.models import ReportJob
from reports.services import run_job
job = ReportJob.objects.create(kind='membership', root=Organization.objects.get(depth=1), year=2026)
assert run_job(job_id=job.pk).status == 'done'"
)
echo "seeded: $((SECONDS - STARTED)) s"
[ -n "$(find "$WORK/media" -name '*.xlsx')" ] || { echo "no report workbook in the file store"; exit 1; }
counts "$PG/$SRC" >"$WORK/before"
checksums "$WORK/media" >"$WORK/files-before"

backup_started=$SECONDS
mapfile -t made < <("$ROOT/deploy/backup.sh" "$WORK/backups")
echo "backup: $(du -h "${made[0]}" | cut -f1) dump, $(du -h "${made[1]}" | cut -f1) files, $((SECONDS - backup_started)) s"

restore_started=$SECONDS
sql "CREATE DATABASE $DST"
DATABASE_URL="$PG/$DST" DJANGO_MEDIA_ROOT="$WORK/restored-media" "$ROOT/deploy/restore.sh" "${made[@]}"
echo "restore: $((SECONDS - restore_started)) s"
counts "$PG/$DST" >"$WORK/after"
checksums "$WORK/restored-media" >"$WORK/files-after"

printf '%-30s %8s %8s\n' table before after
for table in $MAIN_TABLES; do
  printf '%-30s %8s %8s\n' "$table" "$(awk -v t="$table" '$1==t {print $2}' "$WORK/before")" \
    "$(awk -v t="$table" '$1==t {print $2}' "$WORK/after")"
done
echo "$(wc -l <"$WORK/before") tables, $(wc -l <"$WORK/files-before") files compared"
diff -u "$WORK/before" "$WORK/after" || { echo "row counts differ after restore"; exit 1; }
diff -u "$WORK/files-before" "$WORK/files-after" || { echo "files differ after restore"; exit 1; }
# A second restore into the now full database is refused, not merged.
if DATABASE_URL="$PG/$DST" "$ROOT/deploy/restore.sh" "${made[0]}" 2>"$WORK/refused"; then
  echo "restore into a full database was not refused"; exit 1
fi
grep -q "chỉ khôi phục vào cơ sở dữ liệu trống" "$WORK/refused"
