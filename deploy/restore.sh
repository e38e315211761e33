#!/usr/bin/env bash
# Restore a DoanHub backup made by deploy/backup.sh into an EMPTY database and file store.
#
#   createdb doanhub_restored
#   DATABASE_URL=postgres://…/doanhub_restored deploy/restore.sh BACKUP.dump [BACKUP-files.tar.gz]
#
# MEDIA_ROOT as in backup.sh. A database that already has tables is refused (nothing is
# overwritten); point DATABASE_URL at the restored database, then start the site and workers.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DUMP="${1:?Cách dùng: deploy/restore.sh TỆP.dump [TỆP-files.tar.gz]}"
FILES="${2:-}"
: "${DATABASE_URL:?Chưa đặt DATABASE_URL (cơ sở dữ liệu trống để khôi phục vào)}"
MEDIA="${DJANGO_MEDIA_ROOT:-${DOANHUB_VAR_DIR:-$ROOT/var}/media}"

[ -f "$DUMP" ] || { echo "Không thấy tệp sao lưu cơ sở dữ liệu “$DUMP”." >&2; exit 2; }
[ -z "$FILES" ] || [ -f "$FILES" ] || { echo "Không thấy tệp sao lưu tệp đính kèm “$FILES”." >&2; exit 2; }
tables="$(psql -At "$DATABASE_URL" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "Cơ sở dữ liệu đích đã có $tables bảng: chỉ khôi phục vào cơ sở dữ liệu trống (createdb tên_mới)." >&2
  exit 3
fi

if [ -n "$FILES" ] && [ -d "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ]; then
  echo "Thư mục tệp “$MEDIA” không trống: giải nén vào đó sẽ trộn hai bộ tệp; hãy dùng thư mục trống." >&2
  exit 3
fi

pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DATABASE_URL" "$DUMP"
if [ -n "$FILES" ]; then
  mkdir -p "$MEDIA"
  tar -C "$MEDIA" -xzf "$FILES"
fi
echo "Đã khôi phục $(basename "$DUMP")${FILES:+ và $(basename "$FILES")}."
