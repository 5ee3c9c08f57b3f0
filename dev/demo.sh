#!/usr/bin/env bash
# The main job on local real services: brings up Kafka, MariaDB and PostgreSQL (dev/up.sh), builds and starts
# ingest-service and sink-service, produces the sample orders in dev/sample/orders.jsonl to a source topic, and
# shows the rows that arrived in the MariaDB table and the records that went to the error topic.
set -euo pipefail
cd "$(dirname "$0")/.."
source dev/env.sh

dev/up.sh
log "building the services (tests skipped; run dev/test.sh for them)"
./mvnw -q -B package -DskipTests -pl ingest-service,sink-service -am

RUN="demo-$(date +%s)"
TOPIC="$RUN-orders"
TABLE="demo_orders"
OUT="$KWSYNC_DEV_HOME/demo"
mkdir -p "$OUT"
kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KWSYNC_DEV_BOOTSTRAP" --create \
  --topic "$TOPIC" --partitions 3 >/dev/null
db() { mariadb -h127.0.0.1 -P"$KWSYNC_DEV_MARIADB_PORT" -u"$KWSYNC_DEV_DB_USER" -p"$KWSYNC_DEV_DB_PASSWORD" "$KWSYNC_DEV_DB_NAME" "$@"; }
db -e "DROP TABLE IF EXISTS $TABLE; CREATE TABLE $TABLE (
  order_id BIGINT PRIMARY KEY, customer VARCHAR(64) NOT NULL, amount DECIMAL(10,2),
  currency CHAR(3) DEFAULT 'EUR', items JSON, placed_at DATETIME)"

export KWSYNC_CONNECTOR_NAME="$RUN" KWSYNC_KAFKA_BOOTSTRAP_SERVERS="$KWSYNC_DEV_BOOTSTRAP"
export KWSYNC_SOURCE_TOPICS="$TOPIC" KWSYNC_DESTINATION_TABLE="$TABLE"
export KWSYNC_JDBC_URL="$KWSYNC_DEV_MARIADB_URL" KWSYNC_JDBC_USER="$KWSYNC_DEV_DB_USER" KWSYNC_JDBC_PASSWORD="$KWSYNC_DEV_DB_PASSWORD"
export KWSYNC_SINK_BATCH_MAX_AGE=200ms
JAVA_OPTS=(-Xmx512m --add-opens=java.base/java.nio=ALL-UNNAMED)
KWSYNC_HTTP_PORT=18080 java "${JAVA_OPTS[@]}" -jar ingest-service/target/quarkus-app/quarkus-run.jar >"$OUT/ingest.log" 2>&1 &
INGEST=$!
KWSYNC_HTTP_PORT=18081 java "${JAVA_OPTS[@]}" -jar sink-service/target/quarkus-app/quarkus-run.jar >"$OUT/sink.log" 2>&1 &
SINK=$!
trap 'kill $INGEST $SINK 2>/dev/null; wait $INGEST $SINK 2>/dev/null || true' EXIT
ready() { curl -fs "http://127.0.0.1:$1/q/health/ready" >/dev/null; }
wait_for 90 "ingest-service (log: $OUT/ingest.log)" ready 18080
wait_for 90 "sink-service (log: $OUT/sink.log)" ready 18081
log "ingest-service on :18080 and sink-service on :18081 are ready"

log "producing $(wc -l < dev/sample/orders.jsonl) sample messages to $TOPIC"
kafka_tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$KWSYNC_DEV_BOOTSTRAP" --topic "$TOPIC" \
  < dev/sample/orders.jsonl 2>/dev/null

expected=$(grep -c '"order_id": [0-9]' dev/sample/orders.jsonl)
rows() { db -N -e "SELECT COUNT(*) FROM $TABLE"; }
have_rows() { [ "$(rows)" -ge "$expected" ]; }
wait_for 60 "$expected rows in $TABLE" have_rows

echo
echo "== Rows in MariaDB table $TABLE (database $KWSYNC_DEV_DB_NAME) =="
db -t -e "SELECT * FROM $TABLE ORDER BY order_id"
echo
echo "== Records on the error topic connect-error-$RUN (original bytes + reason) =="
kafka_tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$KWSYNC_DEV_BOOTSTRAP" \
  --topic "connect-error-$RUN" --from-beginning --max-messages 2 --timeout-ms 20000 \
  --property print.headers=true --property headers.separator=' | ' 2>/dev/null \
  | sed -e 's/kwsync\.error\.//g' | tr '\t' '\n' | sed -e 's/^/  /'
echo
echo "== Counters =="
curl -s http://127.0.0.1:18080/q/metrics | grep -E '^kwsync_(records_consumed|rows_published|records_dirty)' | grep -v ' 0.0$' | sed 's/^/  ingest: /'
curl -s http://127.0.0.1:18081/q/metrics | grep -E '^kwsync_(rows_written|rows_rejected|keys_unknown)' | sed 's/^/  sink:   /'
echo
log "demo done: $expected messages -> $(rows) rows; logs in $OUT"
