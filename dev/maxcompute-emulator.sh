#!/usr/bin/env bash
# The local MaxCompute emulator (a development tool; see maxcompute-emulator/README.md) as a background process on
# 127.0.0.1:$KWSYNC_DEV_MAXCOMPUTE_PORT, the way dev/up.sh runs Kafka. Its data survives restarts in
# $KWSYNC_DEV_HOME/maxcompute-emulator/snapshot.json (written when it stops).
#   dev/maxcompute-emulator.sh start [serve options]   build the jar if needed, start, wait until it answers
#   dev/maxcompute-emulator.sh stop                    stop it (it saves its snapshot)
#   dev/maxcompute-emulator.sh status                  say whether it runs, with its endpoints
#   dev/maxcompute-emulator.sh read --table T [--partition SPEC] [--limit N]
#                                                      print a table's partitions, rows and tunnel counters
#   dev/maxcompute-emulator.sh sql STATEMENT...       run CREATE TABLE, ALTER TABLE ... ADD PARTITION, DROP TABLE
#   dev/maxcompute-emulator.sh env                     print the KWSYNC_MAXCOMPUTE_* settings that point a sink at it
# Port, project and AccessKey come from dev/env.sh (KWSYNC_DEV_MAXCOMPUTE_*).
set -euo pipefail
source "$(dirname "$0")/env.sh"
DIR="$KWSYNC_DEV_HOME/maxcompute-emulator"
PID_FILE="$DIR/emulator.pid"
MODULE="$KWSYNC_REPO/maxcompute-emulator"
export MAXCOMPUTE_EMULATOR_ACCESS_ID="$KWSYNC_DEV_MAXCOMPUTE_ACCESS_ID"
export MAXCOMPUTE_EMULATOR_ACCESS_KEY="$KWSYNC_DEV_MAXCOMPUTE_ACCESS_KEY"

jar() { local f; for f in "$MODULE"/target/maxcompute-emulator-*.jar; do [ -f "$f" ] && { echo "$f"; return; }; done; true; }

# Builds when there is no jar yet or a source or the pom changed since it was built.
build() {
  local j; j="$(jar)"
  if [ -n "$j" ] && [ -d "$MODULE/target/lib" ] && [ -z "$(find "$MODULE/src/main" "$MODULE/pom.xml" -newer "$j" -print -quit)" ]; then return; fi
  log "building the MaxCompute emulator (maxcompute-emulator/target)"
  "$KWSYNC_REPO/mvnw" -q -B -f "$KWSYNC_REPO/pom.xml" package -DskipTests -pl maxcompute-emulator -am
}

run() { java -Xmx512m --add-opens=java.base/java.nio=ALL-UNNAMED -jar "$(jar)" "$@"; }
answers() { curl -fs "http://127.0.0.1:$KWSYNC_DEV_MAXCOMPUTE_PORT/emulator/tables?project=$KWSYNC_DEV_MAXCOMPUTE_PROJECT" >/dev/null; }
running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

start() {
  if port_open "$KWSYNC_DEV_MAXCOMPUTE_PORT"; then
    if answers; then log "maxcompute emulator already up on $KWSYNC_DEV_MAXCOMPUTE_PORT"; return; fi
    log "port $KWSYNC_DEV_MAXCOMPUTE_PORT is taken by something else; set KWSYNC_DEV_MAXCOMPUTE_PORT"; exit 1
  fi
  build
  mkdir -p "$DIR"
  log "starting the MaxCompute emulator on 127.0.0.1:$KWSYNC_DEV_MAXCOMPUTE_PORT (log: $DIR/emulator.log)"
  nohup java -Xmx512m --add-opens=java.base/java.nio=ALL-UNNAMED -jar "$(jar)" serve --port "$KWSYNC_DEV_MAXCOMPUTE_PORT" \
    --project "$KWSYNC_DEV_MAXCOMPUTE_PROJECT" --snapshot "$DIR/snapshot.json" "$@" >"$DIR/emulator.log" 2>&1 &
  echo $! >"$PID_FILE"
  wait_for_process 60 "the MaxCompute emulator" "$(cat "$PID_FILE")" "$DIR/emulator.log" answers || exit 1
  cat "$DIR/emulator.log"
}

stop() {
  if ! running; then rm -f "$PID_FILE"; log "maxcompute emulator not running"; return; fi
  local pid; pid="$(cat "$PID_FILE")"
  log "stopping the MaxCompute emulator (pid $pid; its data goes to $DIR/snapshot.json)"
  kill "$pid"
  local deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$PID_FILE"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status)
    if answers; then log "maxcompute emulator up: REST $KWSYNC_DEV_MAXCOMPUTE_ENDPOINT, tunnel http://127.0.0.1:$KWSYNC_DEV_MAXCOMPUTE_PORT, project $KWSYNC_DEV_MAXCOMPUTE_PROJECT"
    else log "maxcompute emulator not answering on $KWSYNC_DEV_MAXCOMPUTE_PORT"; exit 1; fi ;;
  read) shift; build; run read --endpoint "$KWSYNC_DEV_MAXCOMPUTE_ENDPOINT" --project "$KWSYNC_DEV_MAXCOMPUTE_PROJECT" "$@" ;;
  sql) shift; build; args=(); for s in "$@"; do args+=(--sql "$s"); done
    run sql --endpoint "$KWSYNC_DEV_MAXCOMPUTE_ENDPOINT" --project "$KWSYNC_DEV_MAXCOMPUTE_PROJECT" "${args[@]}" ;;
  env)
    cat <<ENV
export KWSYNC_SINK_TYPE=maxcompute
export KWSYNC_MAXCOMPUTE_ENDPOINT=$KWSYNC_DEV_MAXCOMPUTE_ENDPOINT
export KWSYNC_MAXCOMPUTE_PROJECT=$KWSYNC_DEV_MAXCOMPUTE_PROJECT
export KWSYNC_MAXCOMPUTE_ACCESS_ID=$KWSYNC_DEV_MAXCOMPUTE_ACCESS_ID
export KWSYNC_MAXCOMPUTE_ACCESS_KEY=$KWSYNC_DEV_MAXCOMPUTE_ACCESS_KEY
ENV
    ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
