#!/usr/bin/env bash
# The fault-test suite at a larger size than in `./mvnw verify`: kill -9 of ingest-service and sink-service at random
# moments (MariaDB and PostgreSQL destinations), a 60 s outage of a private MariaDB, a kill -9 and restart of a
# private Kafka broker, the dirty-record limit across restarts and a graceful shutdown. Prints one summary line per
# scenario (records, kills, outage, losses, duplicates, duration), also kept in system-tests/target/faults-summary.txt.
#
#   dev/faults.sh                          # 200000 records, 20 kills of each service, 60 s database outage
#   FAULTS_SEED=42 dev/faults.sh           # repeat a run's kill moments
#   FAULTS_RECORDS=50000 FAULTS_KILLS=8 FAULTS_OUTAGE_SECONDS=30 dev/faults.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source dev/env.sh
dev/up.sh

records="${FAULTS_RECORDS:-200000}"
kills="${FAULTS_KILLS:-20}"
seconds="${FAULTS_SECONDS:-180}"
outage="${FAULTS_OUTAGE_SECONDS:-60}"
outage_records="${FAULTS_OUTAGE_RECORDS:-100000}"
seed_arg=()
[ -n "${FAULTS_SEED:-}" ] && seed_arg=("-Dfaults.seed=$FAULTS_SEED")

rm -f system-tests/target/faults-summary.txt
start=$(date +%s)
./mvnw -B verify -pl system-tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='FaultToleranceIT,OutageIT,FailureHandlingIT' \
  -Dfaults.records="$records" -Dfaults.kills="$kills" -Dfaults.seconds="$seconds" \
  -Dfaults.outage-seconds="$outage" -Dfaults.outage-records="$outage_records" "${seed_arg[@]}" "$@"
echo
echo "fault suite passed in $(( $(date +%s) - start ))s (including the build):"
cat system-tests/target/faults-summary.txt
