#!/usr/bin/env bash
# The main job on local real services: brings up Kafka, MariaDB and PostgreSQL (dev/up.sh), builds and starts
# ingest-service and sink-service, produces the sample orders in dev/sample/orders.jsonl to a source topic, and
# shows what arrived in the destination, the records that went to the error topic, and the counters.
#   dev/demo.sh [mariadb]    into a MariaDB table (the default)
#   dev/demo.sh postgresql   into a PostgreSQL table
#   dev/demo.sh maxcompute   into a time-partitioned table of the local MaxCompute emulator (dev/maxcompute-emulator.sh),
#                            read back through the MaxCompute SDK
# The demo's topics are deleted when it ends; its table stays for you to look at (and is replaced by the next run).
set -euo pipefail
cd "$(dirname "$0")/.."
source dev/env.sh

MODE="${1:-mariadb}"
case "$MODE" in
  mariadb|postgresql|maxcompute) ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
SAMPLE=dev/sample/orders.jsonl
OUT="$KWSYNC_DEV_HOME/demo"
mkdir -p "$OUT"

dev/up.sh
modules=ingest-service,sink-service
[ "$MODE" = maxcompute ] && modules="$modules,maxcompute-emulator"
log "building $modules (tests skipped; run dev/test.sh for them; Maven output: $OUT/build.log)"
# One line per module as Maven reaches it; the whole output only when the build fails.
if ! ./mvnw -B -ntp package -DskipTests -pl "$modules" -am 2>&1 | tee "$OUT/build.log" \
    | sed -un 's/^\[INFO\] Building \(.*[^ ]\) *\[\([0-9]*\/[0-9]*\)\]$/[dev]   \2 \1/p' >&2 \
    || ! grep -q '^\[INFO\] BUILD SUCCESS' "$OUT/build.log"; then
  grep -E '^\[ERROR\]' "$OUT/build.log" | head -30 >&2; log "build failed; see $OUT/build.log"; exit 1
fi
[ "$MODE" = maxcompute ] && dev/maxcompute-emulator.sh start >/dev/null

RUN="demo-$(date +%s)"
TOPIC="$RUN-orders"
TABLE="demo_orders"
INGEST_URL="http://127.0.0.1:$KWSYNC_DEV_INGEST_PORT"
SINK_URL="http://127.0.0.1:$KWSYNC_DEV_SINK_PORT"
topics() { kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KWSYNC_DEV_BOOTSTRAP" "$@"; }
INGEST="" SINK=""
finish() {
  [ -n "$INGEST$SINK" ] && { kill $INGEST $SINK 2>/dev/null; wait $INGEST $SINK 2>/dev/null || true; }
  # Every topic of this run (source, rows, error, progress, status) carries its name.
  topics --delete --topic ".*$RUN.*" >/dev/null 2>&1 || log "could not delete the topics of $RUN"
}
trap finish EXIT
topics --create --topic "$TOPIC" --partitions 3 >/dev/null

case "$MODE" in
  mariadb)
    db() { mariadb -h127.0.0.1 -P"$KWSYNC_DEV_MARIADB_PORT" -u"$KWSYNC_DEV_DB_USER" -p"$KWSYNC_DEV_DB_PASSWORD" "$KWSYNC_DEV_DB_NAME" "$@"; }
    db -e "DROP TABLE IF EXISTS $TABLE; CREATE TABLE $TABLE (
      order_id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount DECIMAL(10,2),
      currency CHAR(3) DEFAULT 'EUR', items JSON, placed_at DATETIME)"
    rows() { db -N -e "SELECT COUNT(*) FROM $TABLE"; }
    show() { echo "== Rows in MariaDB table $TABLE (database $KWSYNC_DEV_DB_NAME) =="; db -t -e "SELECT * FROM $TABLE ORDER BY order_id"; }
    export KWSYNC_JDBC_URL="$KWSYNC_DEV_MARIADB_URL" ;;
  postgresql)
    db() { PGPASSWORD="$KWSYNC_DEV_DB_PASSWORD" PGOPTIONS="-c client_min_messages=warning" psql -q -h 127.0.0.1 -p "$KWSYNC_DEV_POSTGRES_PORT" -U "$KWSYNC_DEV_DB_USER" \
      -d "$KWSYNC_DEV_DB_NAME" -v ON_ERROR_STOP=1 "$@"; }
    db -c "DROP TABLE IF EXISTS $TABLE" -c "CREATE TABLE $TABLE (
      order_id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount NUMERIC(10,2),
      currency CHAR(3) DEFAULT 'EUR', items JSONB, placed_at TIMESTAMP)"
    rows() { db -At -c "SELECT COUNT(*) FROM $TABLE"; }
    show() { echo "== Rows in PostgreSQL table $TABLE (database $KWSYNC_DEV_DB_NAME) =="; db -c "SELECT * FROM $TABLE ORDER BY order_id"; }
    export KWSYNC_JDBC_URL="$KWSYNC_DEV_POSTGRES_URL" ;;
  maxcompute)
    # A time-partitioned table; ingest-service puts each row in the hour of its record's timestamp (UTC here).
    dev/maxcompute-emulator.sh sql "DROP TABLE IF EXISTS $TABLE" "CREATE TABLE $TABLE (order_id BIGINT, customer STRING,
      amount DECIMAL(10,2), currency STRING, items STRING, placed_at STRING) PARTITIONED BY (pt STRING)"
    rows() {
      curl -fs "http://127.0.0.1:$KWSYNC_DEV_MAXCOMPUTE_PORT/emulator/tables?project=$KWSYNC_DEV_MAXCOMPUTE_PROJECT" | python3 -c \
        "import json,sys; print(sum(sum(t['partitions'].values()) for t in json.load(sys.stdin)['tables'] if t['name']=='$TABLE'))"
    }
    show() { dev/maxcompute-emulator.sh read --table "$TABLE"; }
    eval "$(dev/maxcompute-emulator.sh env)"
    export KWSYNC_PARTITION_GRANULARITY=hour KWSYNC_PARTITION_TIME_ZONE=UTC
    # Commit the tunnel sessions within seconds so the demo sees its rows (the default paces them at a minute).
    export KWSYNC_MAXCOMPUTE_COMMIT_INTERVAL=2s ;;
esac

export KWSYNC_CONNECTOR_NAME="$RUN" KWSYNC_KAFKA_BOOTSTRAP_SERVERS="$KWSYNC_DEV_BOOTSTRAP"
export KWSYNC_SOURCE_TOPICS="$TOPIC" KWSYNC_DESTINATION_TABLE="$TABLE"
export KWSYNC_JDBC_USER="$KWSYNC_DEV_DB_USER" KWSYNC_JDBC_PASSWORD="$KWSYNC_DEV_DB_PASSWORD"
export KWSYNC_SINK_BATCH_MAX_AGE=200ms
# A token for this run only, so that the HTTP API (the mapping preview below) answers.
export KWSYNC_API_TOKEN="demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
JAVA_OPTS=(-Xmx512m --add-opens=java.base/java.nio=ALL-UNNAMED)
KWSYNC_HTTP_PORT=$KWSYNC_DEV_INGEST_PORT java "${JAVA_OPTS[@]}" -jar ingest-service/target/quarkus-app/quarkus-run.jar >"$OUT/ingest.log" 2>&1 &
INGEST=$!
KWSYNC_HTTP_PORT=$KWSYNC_DEV_SINK_PORT java "${JAVA_OPTS[@]}" -jar sink-service/target/quarkus-app/quarkus-run.jar >"$OUT/sink.log" 2>&1 &
SINK=$!
ready() { curl -fs "$1/q/health/ready" >/dev/null; }
wait_for_process 90 "ingest-service" "$INGEST" "$OUT/ingest.log" ready "$INGEST_URL"
wait_for_process 90 "sink-service" "$SINK" "$OUT/sink.log" ready "$SINK_URL"
log "ingest-service on :$KWSYNC_DEV_INGEST_PORT and sink-service on :$KWSYNC_DEV_SINK_PORT are ready (logs in $OUT)"

messages=$(wc -l < "$SAMPLE")
log "producing the $messages messages of $SAMPLE to $TOPIC"
kafka_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$KWSYNC_DEV_BOOTSTRAP" --topic "$TOPIC" < "$SAMPLE" 2>/dev/null

# The sample holds 8 good orders; the other 2 are dirty (one is not JSON, one has a text order_id).
expected=$(grep -c '"order_id": [0-9]' "$SAMPLE")
have_rows() { [ "$(rows)" -ge "$expected" ]; }
wait_for 90 "$expected rows in $TABLE" have_rows || true

echo
show
echo
dirty=$((messages - expected))
echo "== Records on the error topic connect-error-$RUN (original bytes + reason) =="
kafka_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$KWSYNC_DEV_BOOTSTRAP" \
  --topic "connect-error-$RUN" --from-beginning --max-messages "$dirty" --timeout-ms 20000 \
  --property print.headers=true --property headers.separator=' | ' 2>/dev/null >"$OUT/errors.txt" || true
sed -e 's/kwsync\.error\.//g' "$OUT/errors.txt" | tr '\t' '\n' | sed -e 's/^/  /'
echo
echo "== Mapping preview: the last 5 records of each source partition (nothing committed, nothing written) =="
# ingest-service's GET /api/preview says what each record becomes; its rows then go to sink-service's POST /api/preview,
# which says what the table would refuse and which keys have no column.
python3 - "$INGEST_URL" "$SINK_URL" "$KWSYNC_API_TOKEN" <<'PY' || log "the preview did not answer"
import json, sys, urllib.request
ingest, sink, token = sys.argv[1:4]
def call(url, body=None):
    req = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)
p = call(ingest + "/api/preview?records=5")
rows, table = [], None
for r in p["records"]:
    at = "  %s-%d@%d" % (r["topic"], r["partition"], r["offset"])
    if r["row"]:
        row = r["row"]
        table = row["table"]
        rows.append((at, row["columns"]))
        print(at, "->", table + ("/" + row["partition"] if row["partition"] else ""), json.dumps(row["columns"], ensure_ascii=False))
    else:
        print(at, "-> dirty (%s): %s" % (r["dirty"]["stage"], r["dirty"]["reason"]))
if rows:
    d = call(sink + "/api/preview", {"table": table, "rows": [c for _, c in rows]})
    print("  sink-service, table %s: %s; missing columns: %s" % (d["table"], d["note"], ", ".join(d["missingColumns"]) or "none"))
    for f in d["refused"]:
        print("  %s would be refused: %s" % (rows[f["row"]][0].strip(), f["reason"]))
PY
echo
echo "== Counters =="
metrics() { curl -s "$1/q/metrics" | grep -E "^kwsync_($2)" | grep -v ' 0.0$' || true; }
metrics "$INGEST_URL" 'records_consumed|rows_published|records_dirty' | sed 's/^/  ingest: /'
metrics "$SINK_URL" 'rows_written|rows_rejected|keys_unknown' | sed 's/^/  sink:   /'
# Which keys of the sample the table has no column for: what kwsync_keys_unknown_total counted.
python3 - "$SAMPLE" order_id customer amount currency items placed_at <<'PY'
import json, sys
columns, unknown = set(sys.argv[2:]), []
for line in open(sys.argv[1], encoding="utf-8"):
    try:
        order = json.loads(line)
    except ValueError:
        continue
    unknown += ['"%s" of order %s' % (k, order.get("order_id")) for k in order if k not in columns]
print("  (kwsync_keys_unknown_total: JSON keys with no column in the table, ignored: %s)" % (", ".join(unknown) or "none"))
PY
echo
got_rows=$(rows)
got_errors=$(grep -c . "$OUT/errors.txt" || true)
log "demo done ($MODE): $messages messages: $got_rows rows, $got_errors on the error topic; logs in $OUT"
[ "$got_rows" -eq "$expected" ] && [ "$got_errors" -eq "$dirty" ] \
  || { log "expected $expected rows and $dirty error-topic records; see $OUT/ingest.log and $OUT/sink.log"; exit 1; }
