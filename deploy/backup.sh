#!/usr/bin/env bash
# Back up DoanHub: the database (pg_dump, custom format) and the file store (MEDIA_ROOT: uploads
# waiting for confirmation, report workbooks, attachments) as a tar, side by side in DEST.
#
#   DATABASE_URL=postgres://… deploy/backup.sh [DEST]        (DEST: ./backups)
#
# MEDIA_ROOT is DJANGO_MEDIA_ROOT, else $DOANHUB_VAR_DIR/media, else ./var/media (as settings.py).
# Files older than BACKUP_KEEP_DAYS (14) in DEST are removed. Restore with deploy/restore.sh.
# pg_dump must be the server's major version or newer (the Docker image ships PostgreSQL 15's).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="${1:-backups}"
: "${DATABASE_URL:?Chưa đặt DATABASE_URL (cơ sở dữ liệu PostgreSQL cần sao lưu)}"
MEDIA="${DJANGO_MEDIA_ROOT:-${DOANHUB_VAR_DIR:-$ROOT/var}/media}"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$DEST"

pg_dump --format=custom --no-owner --no-privileges --file "$DEST/doanhub-$STAMP.dump" "$DATABASE_URL"
mkdir -p "$MEDIA"
tar -C "$MEDIA" -czf "$DEST/doanhub-$STAMP-files.tar.gz" .
find "$DEST" -maxdepth 1 -name 'doanhub-*' -mtime +"${BACKUP_KEEP_DAYS:-14}" -delete

echo "$DEST/doanhub-$STAMP.dump"
echo "$DEST/doanhub-$STAMP-files.tar.gz"
