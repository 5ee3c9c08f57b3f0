# Shared settings of the local services (sourced by the dev/ scripts and by .ci/run).
# Every value can be overridden from the environment.
KWSYNC_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Where the local services keep their data, logs and the Kafka jars: outside the working tree, so `git clean -xdf`
# cannot delete a running broker's data. A checkout that already keeps them in .local/ (the former default) goes on
# using it.
if [ -z "${KWSYNC_DEV_HOME:-}" ]; then
  if [ -d "$KWSYNC_REPO/.local/kafka" ]; then KWSYNC_DEV_HOME="$KWSYNC_REPO/.local"
  else KWSYNC_DEV_HOME="${XDG_DATA_HOME:-$HOME/.local/share}/kwsync"; fi
fi
export KWSYNC_DEV_HOME
export KWSYNC_DEV_KAFKA_PORT="${KWSYNC_DEV_KAFKA_PORT:-9092}"
export KWSYNC_DEV_KAFKA_CONTROLLER_PORT="${KWSYNC_DEV_KAFKA_CONTROLLER_PORT:-9093}"
export KWSYNC_DEV_KAFKA_SASL_PORT="${KWSYNC_DEV_KAFKA_SASL_PORT:-9094}"
export KWSYNC_DEV_MARIADB_PORT="${KWSYNC_DEV_MARIADB_PORT:-3306}"
export KWSYNC_DEV_POSTGRES_PORT="${KWSYNC_DEV_POSTGRES_PORT:-5432}"
export KWSYNC_DEV_REGISTRY_PORT="${KWSYNC_DEV_REGISTRY_PORT:-8081}"
# HTTP ports of the services dev/demo.sh starts.
export KWSYNC_DEV_INGEST_PORT="${KWSYNC_DEV_INGEST_PORT:-18080}"
export KWSYNC_DEV_SINK_PORT="${KWSYNC_DEV_SINK_PORT:-18081}"
export KWSYNC_DEV_DB_USER="${KWSYNC_DEV_DB_USER:-kwsync}"
export KWSYNC_DEV_DB_PASSWORD="${KWSYNC_DEV_DB_PASSWORD:-kwsync-dev-password}"
export KWSYNC_DEV_DB_NAME="${KWSYNC_DEV_DB_NAME:-kwsync}"
export KWSYNC_DEV_SASL_USER="${KWSYNC_DEV_SASL_USER:-kwsync-client}"
export KWSYNC_DEV_SASL_PASSWORD="${KWSYNC_DEV_SASL_PASSWORD:-kwsync-client-secret}"
# The local MaxCompute emulator (dev/maxcompute-emulator.sh): port, project and the development AccessKey it accepts.
export KWSYNC_DEV_MAXCOMPUTE_PORT="${KWSYNC_DEV_MAXCOMPUTE_PORT:-18090}"
export KWSYNC_DEV_MAXCOMPUTE_PROJECT="${KWSYNC_DEV_MAXCOMPUTE_PROJECT:-kwsync_dev}"
export KWSYNC_DEV_MAXCOMPUTE_ACCESS_ID="${KWSYNC_DEV_MAXCOMPUTE_ACCESS_ID:-kwsync-emulator-id}"
export KWSYNC_DEV_MAXCOMPUTE_ACCESS_KEY="${KWSYNC_DEV_MAXCOMPUTE_ACCESS_KEY:-kwsync-emulator-secret-7f3a9c}"
export KWSYNC_DEV_MAXCOMPUTE_ENDPOINT="http://127.0.0.1:$KWSYNC_DEV_MAXCOMPUTE_PORT/api"
export KWSYNC_DEV_BOOTSTRAP="127.0.0.1:$KWSYNC_DEV_KAFKA_PORT"
export KWSYNC_DEV_MARIADB_URL="jdbc:mysql://127.0.0.1:$KWSYNC_DEV_MARIADB_PORT/$KWSYNC_DEV_DB_NAME"
export KWSYNC_DEV_REGISTRY_URL="http://127.0.0.1:$KWSYNC_DEV_REGISTRY_PORT"
export KWSYNC_DEV_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$KWSYNC_DEV_POSTGRES_PORT/$KWSYNC_DEV_DB_NAME"

# Runs a Kafka CLI class (TopicCommand, ConsoleProducer, ...) from the broker jars, without its INFO chatter.
kafka_tool() { java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KWSYNC_DEV_HOME/kafka/libs/*" "$@"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
log() { printf '[dev] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# wait_for_process <seconds> <description> <pid> <log file> <command...>: like wait_for, but a process that exits
# while it is awaited is reported at once, with the last lines of its log.
wait_for_process() {
  local deadline=$((SECONDS + $1)) what="$2" pid="$3" file="$4"; shift 4
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$what exited during start; the last lines of $file:"; tail -25 "$file" | sed 's/^/    /' >&2; return 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out after $1 s waiting for $what; the last lines of $file:"; tail -25 "$file" | sed 's/^/    /' >&2; return 1
    fi
    sleep 0.5
  done
}
wait_for() { # wait_for <seconds> <description> <command...>
  local deadline=$((SECONDS + $1)) what="$2"; shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then log "timed out waiting for $what"; return 1; fi
    sleep 0.5
  done
}
