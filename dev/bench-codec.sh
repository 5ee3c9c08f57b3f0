#!/usr/bin/env bash
# Micro-benchmark of the per-record work around the rows topic (io.kwsync.bench.CodecBench): a row event's encoding
# and the origin of a source record (ingest-service), its decoding (sink-service), for 7 and 50 columns. One thread,
# no Kafka, no database. Prints CPU ms per 1,000 records per case.
#   dev/bench-codec.sh [--rounds=7] [--seconds=2] [--warmup=3]
# Set KWSYNC_BENCH_SKIP_BUILD=1 to reuse the jars of a previous build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$KWSYNC_REPO"
if [ "${KWSYNC_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building the benchmark (package, tests skipped)"
  ./mvnw -B -q package -DskipTests -pl benchmarks -am
fi
# the sink is a provided dependency of the benchmark (its services run from their own jars): its classes come from its build
exec java -Xmx1g -cp "benchmarks/target/classes:benchmarks/target/lib/*:sink-service/target/classes" io.kwsync.bench.CodecBench "$@"
