#!/usr/bin/env bash
# Brings up the real local services the demo and the tests use, all on 127.0.0.1:
#   Kafka (KRaft, run from Maven Central jars), MariaDB and PostgreSQL (Debian packages), and a schema registry
#   (dev/registry.sh).
# Idempotent: a service that is already up is left alone; packages and jars are fetched once.
set -euo pipefail
source "$(dirname "$0")/env.sh"
mkdir -p "$KWSYNC_DEV_HOME"

install_packages() {
  local missing=()
  command -v mariadbd >/dev/null || missing+=(mariadb-server mariadb-client)
  command -v pg_ctlcluster >/dev/null || missing+=(postgresql)
  [ ${#missing[@]} -eq 0 ] && return
  local out="$KWSYNC_DEV_HOME/apt.log"
  log "installing ${missing[*]} (apt-get output: $out)"
  # apt's and debconf's chatter (no terminal, no init system) goes to the log; it is shown when the install fails.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$out" 2>&1 || { tail -20 "$out" >&2; exit 1; }
  # The packages' postinst tries to start the servers through the init system; that may fail
  # harmlessly on machines without one, so only the presence of the binaries is checked.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$out" 2>&1 || true
  command -v mariadbd >/dev/null && command -v pg_ctlcluster >/dev/null \
    || { log "package installation failed; the last lines of $out:"; tail -20 "$out" >&2; exit 1; }
}

kafka_classpath() { echo "$KWSYNC_DEV_HOME/kafka/libs/*"; }

# The jars are needed even when a broker is already up: tests start private brokers and the benchmark runs
# Kafka's perf tools from them.
fetch_kafka_jars() {
  local home="$KWSYNC_DEV_HOME/kafka"
  if [ ! -f "$home/libs/.complete" ]; then
    log "fetching Kafka broker jars from Maven Central"
    rm -rf "$home/libs"
    "$KWSYNC_REPO/mvnw" -q -B -f "$KWSYNC_REPO/dev/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$home/libs" -DincludeScope=runtime
    touch "$home/libs/.complete"
  fi
}

start_kafka() {
  local home="$KWSYNC_DEV_HOME/kafka"
  fetch_kafka_jars
  if port_open "$KWSYNC_DEV_KAFKA_PORT"; then log "kafka already up on $KWSYNC_DEV_KAFKA_PORT"; return; fi
  mkdir -p "$home/data"
  cat > "$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KWSYNC_DEV_KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KWSYNC_DEV_KAFKA_PORT,CONTROLLER://127.0.0.1:$KWSYNC_DEV_KAFKA_CONTROLLER_PORT,SASL_PLAINTEXT://127.0.0.1:$KWSYNC_DEV_KAFKA_SASL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KWSYNC_DEV_KAFKA_PORT,SASL_PLAINTEXT://127.0.0.1:$KWSYNC_DEV_KAFKA_SASL_PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KWSYNC_DEV_SASL_USER="$KWSYNC_DEV_SASL_PASSWORD";
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
log.dirs=$home/data
num.partitions=6
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=24
PROPS
  local cp; cp="$(kafka_classpath)"
  if [ ! -f "$home/data/meta.properties" ]; then
    log "formatting Kafka storage"
    java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
      -c "$home/server.properties" \
      --add-scram "SCRAM-SHA-256=[name=$KWSYNC_DEV_SASL_USER,password=$KWSYNC_DEV_SASL_PASSWORD]" >"$home/format.log" 2>&1 \
      || { cat "$home/format.log" >&2; exit 1; }
  fi
  log "starting Kafka on 127.0.0.1:$KWSYNC_DEV_KAFKA_PORT"
  nohup java -Xmx1g -Xms256m -cp "$cp" -Dlog4j2.level=WARN -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    kafka.Kafka "$home/server.properties" >"$home/broker.log" 2>&1 &
  echo $! >"$home/broker.pid"
  wait_for_process 90 "kafka" "$(cat "$home/broker.pid")" "$home/broker.log" \
    kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KWSYNC_DEV_BOOTSTRAP" --list || exit 1
}

start_mariadb() {
  if port_open "$KWSYNC_DEV_MARIADB_PORT"; then log "mariadb already up on $KWSYNC_DEV_MARIADB_PORT"
  else
    [ -d /var/lib/mysql/mysql ] || as_root mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
    as_root mkdir -p /run/mysqld && as_root chown mysql /run/mysqld
    log "starting MariaDB on 127.0.0.1:$KWSYNC_DEV_MARIADB_PORT"
    as_root sh -c "nohup mariadbd --user=mysql --bind-address=127.0.0.1 --port=$KWSYNC_DEV_MARIADB_PORT \
      --max-connections=500 --innodb-flush-log-at-trx-commit=2 --local-infile=1 >'$KWSYNC_DEV_HOME/mariadb.log' 2>&1 &"
    wait_for 60 "mariadb" as_root mariadb-admin ping || { tail -30 "$KWSYNC_DEV_HOME/mariadb.log" >&2; exit 1; }
  fi
  as_root mariadb <<SQL
CREATE DATABASE IF NOT EXISTS \`$KWSYNC_DEV_DB_NAME\`;
CREATE USER IF NOT EXISTS '$KWSYNC_DEV_DB_USER'@'127.0.0.1' IDENTIFIED BY '$KWSYNC_DEV_DB_PASSWORD';
CREATE USER IF NOT EXISTS '$KWSYNC_DEV_DB_USER'@'localhost' IDENTIFIED BY '$KWSYNC_DEV_DB_PASSWORD';
GRANT ALL ON \`$KWSYNC_DEV_DB_NAME\`.* TO '$KWSYNC_DEV_DB_USER'@'127.0.0.1';
GRANT ALL ON \`$KWSYNC_DEV_DB_NAME\`.* TO '$KWSYNC_DEV_DB_USER'@'localhost';
SQL
}

start_postgres() {
  local ver; ver="$(ls /etc/postgresql | sort -V | tail -1)"
  if port_open "$KWSYNC_DEV_POSTGRES_PORT"; then log "postgresql already up on $KWSYNC_DEV_POSTGRES_PORT"
  else
    if [ -z "$ver" ]; then as_root pg_createcluster --start-conf=manual 15 main >/dev/null; ver=15; fi
    as_root mkdir -p /run/postgresql && as_root chown postgres /run/postgresql
    log "starting PostgreSQL $ver on 127.0.0.1:$KWSYNC_DEV_POSTGRES_PORT"
    as_root pg_ctlcluster "$ver" main start -- -o "-c listen_addresses=127.0.0.1 -c port=$KWSYNC_DEV_POSTGRES_PORT -c max_connections=300 -c synchronous_commit=off"
    wait_for 60 "postgresql" pg_isready -h 127.0.0.1 -p "$KWSYNC_DEV_POSTGRES_PORT"
  fi
  as_root su postgres -c "psql -q -p $KWSYNC_DEV_POSTGRES_PORT -v ON_ERROR_STOP=1" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$KWSYNC_DEV_DB_USER') THEN
    CREATE ROLE "$KWSYNC_DEV_DB_USER" LOGIN PASSWORD '$KWSYNC_DEV_DB_PASSWORD';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE "$KWSYNC_DEV_DB_NAME" OWNER "$KWSYNC_DEV_DB_USER"'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$KWSYNC_DEV_DB_NAME')\gexec
SQL
}

install_packages
start_kafka
start_mariadb
start_postgres
"$KWSYNC_REPO/dev/registry.sh"
log "up: kafka=$KWSYNC_DEV_BOOTSTRAP mariadb=$KWSYNC_DEV_MARIADB_URL postgresql=$KWSYNC_DEV_POSTGRES_URL registry=$KWSYNC_DEV_REGISTRY_URL"
