#!/usr/bin/env bash
# Starts the local schema registry (Confluent-compatible REST subset, dev/registry/LocalSchemaRegistry.java) on
# 127.0.0.1:$KWSYNC_DEV_REGISTRY_PORT, for the demo and the tests. Idempotent: a registry already listening there is
# left alone. Schemas are kept in $KWSYNC_DEV_HOME/registry/schemas.jsonl, so ids survive a restart
# (dev/down.sh --wipe deletes them).
#
# Why our own: Apicurio Registry (io.apicurio:apicurio-registry-app 3.3.3, 3.3.2, 3.0.9, 2.6.13.Final) does not
# resolve from Maven Central here (its internal modules and its Quarkus build are not served), Confluent's registry
# is not on Maven Central and Karapace needs PyPI.
set -euo pipefail
source "$(dirname "$0")/env.sh"

start_registry() {
  local home="$KWSYNC_DEV_HOME/registry"
  if port_open "$KWSYNC_DEV_REGISTRY_PORT"; then log "schema registry already up on $KWSYNC_DEV_REGISTRY_PORT"; return; fi
  mkdir -p "$home"
  log "starting the schema registry on 127.0.0.1:$KWSYNC_DEV_REGISTRY_PORT"
  nohup java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    "$KWSYNC_REPO/dev/registry/LocalSchemaRegistry.java" --port "$KWSYNC_DEV_REGISTRY_PORT" \
    --data "$home/schemas.jsonl" >"$home/registry.log" 2>&1 &
  echo $! >"$home/registry.pid"
  wait_for 60 "schema registry" port_open "$KWSYNC_DEV_REGISTRY_PORT" || { cat "$home/registry.log" >&2; exit 1; }
}

start_registry
