#!/usr/bin/env bash
# Runs one of the benchmark module's micro-benchmarks (one thread, no services): dev/bench-codec.sh and
# dev/bench-maxcompute.sh call it with their class.
#   dev/micro-bench.sh CLASS [options of that benchmark]
# Set KWSYNC_BENCH_SKIP_BUILD=1 to reuse the jars of a previous build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$KWSYNC_REPO"
main="io.kwsync.bench.$1"
shift
if [ "${KWSYNC_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building the benchmark (package, tests skipped)"
  ./mvnw -B -q package -DskipTests -pl benchmarks -am
fi
# the sink is a provided dependency of the benchmark (its services run from their own jars): its classes come from its build
exec java -Xmx1g -cp "benchmarks/target/classes:benchmarks/target/lib/*:sink-service/target/classes" "$main" "$@"
