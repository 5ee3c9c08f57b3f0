#!/usr/bin/env bash
# Micro-benchmark of decoding CPU per record: the same ~200-byte record as plain JSON (today's path), as Avro and as
# Protobuf in the schema-registry framing (io.kwsync.ingest.format). One thread, no Kafka; schemas are registered in
# the local registry of dev/up.sh. Prints ns and CPU ms per 1,000 records per case.
#   dev/bench-decode.sh [--rounds=7] [--seconds=2] [--warmup=3]
# Set KWSYNC_BENCH_SKIP_BUILD=1 to reuse the jars of a previous build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$KWSYNC_REPO/dev/registry.sh"
cd "$KWSYNC_REPO"
if [ "${KWSYNC_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building the benchmark (package, tests skipped)"
  ./mvnw -B -q package -DskipTests -pl benchmarks -am
fi
exec java -Xmx1g -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.kwsync.bench.DecodeBench "$@"
