#!/bin/sh
# The ETL container's default command: every ROLLBOOK_LOAD_INTERVAL_SECONDS, load each entry
# (a termly return folder or .zip, a school list, a social care file) dropped into
# ROLLBOOK_INCOMING_DIR, then move it to processed/<date>/ or, if anything in it was rejected,
# to rejected/<date>/ (the reasons are in $ROLLBOOK_DATA_DIR/reports/). One load at a time:
# `rollbook load` takes the warehouse lock itself, so a manual load cannot interleave.
# Entries whose name starts with "." or ends with ".part" are still being copied and are left.
set -u
INCOMING="${ROLLBOOK_INCOMING_DIR:-/incoming}"
INTERVAL="${ROLLBOOK_LOAD_INTERVAL_SECONDS:-900}"
DATA="${ROLLBOOK_DATA_DIR:-/data}"
LA="${ROLLBOOK_LOAD_LA:-}"
ROLLBOOK="${ROLLBOOK_CLI:-node /app/packages/etl/bin/rollbook.mjs}"

mkdir -p "$DATA/logs" "$INCOMING/processed" "$INCOMING/rejected"
stop=0
trap 'stop=1' TERM INT

while [ "$stop" -eq 0 ]; do
  touch "$DATA/logs/scheduled-load.heartbeat"
  day="$(date -u +%Y-%m-%d)"
  for entry in "$INCOMING"/*; do
    [ -e "$entry" ] || continue
    name="$(basename "$entry")"
    case "$name" in
      processed|rejected|.*|*.part) continue ;;
    esac
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) loading $name"
    if [ -n "$LA" ]; then
      $ROLLBOOK load "$entry" --la "$LA" --data-dir "$DATA"
    else
      $ROLLBOOK load "$entry" --data-dir "$DATA"
    fi
    status=$?
    if [ "$status" -eq 0 ]; then target="$INCOMING/processed/$day"; else target="$INCOMING/rejected/$day"; fi
    mkdir -p "$target"
    mv "$entry" "$target/" || echo "could not move $name to $target" >&2
  done
  # Sleep in short steps so a stop signal is honoured within a second.
  waited=0
  while [ "$stop" -eq 0 ] && [ "$waited" -lt "$INTERVAL" ]; do
    sleep 1
    waited=$((waited + 1))
  done
done
echo "scheduled load stopped"
