#!/usr/bin/env bash
# Stops the local services started by dev/up.sh, and the MaxCompute emulator of dev/maxcompute-emulator.sh.
# Data stays in place ($KWSYNC_DEV_HOME, outside the working tree). `down.sh --wipe` also deletes the Kafka log
# directory, the registered schemas and the emulator's snapshot; `down.sh --purge` deletes all of $KWSYNC_DEV_HOME
# (data, logs and the Kafka jars). MariaDB and PostgreSQL data belong to the Debian packages and are kept.
set -uo pipefail
source "$(dirname "$0")/env.sh"

stop_pid_file() { # <pid file> <name>
  [ -f "$1" ] || return 0
  local pid; pid="$(cat "$1")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $2 (pid $pid)"; kill "$pid"
    local deadline=$((SECONDS + 60))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

stop_pid_file "$KWSYNC_DEV_HOME/kafka/broker.pid" kafka
stop_pid_file "$KWSYNC_DEV_HOME/registry/registry.pid" "schema registry"
stop_pid_file "$KWSYNC_DEV_HOME/maxcompute-emulator/emulator.pid" "maxcompute emulator"
if port_open "$KWSYNC_DEV_MARIADB_PORT"; then log "stopping mariadb"; as_root mariadb-admin shutdown || true; fi
for ver in $(ls /etc/postgresql 2>/dev/null); do
  if as_root pg_ctlcluster "$ver" main status >/dev/null 2>&1; then log "stopping postgresql $ver"; as_root pg_ctlcluster "$ver" main stop; fi
done
case "${1:-}" in
  --wipe)
    log "wiping kafka data, registered schemas and the emulator's snapshot"
    rm -rf "$KWSYNC_DEV_HOME/kafka/data" "$KWSYNC_DEV_HOME/registry/schemas.jsonl" "$KWSYNC_DEV_HOME/maxcompute-emulator/snapshot.json" ;;
  --purge)
    log "deleting $KWSYNC_DEV_HOME"; rm -rf "$KWSYNC_DEV_HOME" ;;
esac
log "down"
