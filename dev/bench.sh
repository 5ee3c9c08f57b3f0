#!/usr/bin/env bash
# The benchmark: throughput, latency and memory of the packaged services on the local Kafka, MariaDB and
# PostgreSQL, beside the broker's own consume rate and the databases' own bulk-load rates, plus the MaxCompute
# mode against the local emulator. Prints a Markdown table (also in benchmarks/target/bench-*/results.md).
#
#   dev/bench.sh                       # defaults: --records=1000000 --rate=5000 --seconds=60 --seed=42
#   dev/bench.sh --records=200000 --only=postgresql --profile   # smaller, one destination, JFR top frames
#
# Options: --records=N (JDBC throughput runs), --mc-records=N (MaxCompute throughput run, default 200000 or --records
# if less; 0 skips it), --mc-rates=1000,10000 --mc-seconds=300 --mc-modes=append,stream,upsert (MaxCompute steady runs
# into one hourly partition: commits, files, latency, CPU per write mode and rate), --rate=R and --seconds=S (JDBC
# latency stream), --seed=S, --only=mariadb,postgresql,maxcompute,
# --tables=1,10,100 (instead of the JDBC runs: the throughput run routed over each number of tables by a header),
# --format=avro (with --only=mariadb and/or postgresql: the same rows as Avro through the local schema registry),
# --profile (record the services with JFR and print where their CPU time went),
# --containers[=LIMIT] (run the services in their images, built by dev/images.sh, as the Kubernetes manifests run
# them, with a memory limit such as 256m; JVM sizing from the images instead of the processes' -Xmx512m).
#   dev/bench.sh --records=200000 --only=mariadb,postgresql --tables=1,10,100   # rows/s routed over 1, 10, 100 tables only
#   dev/bench.sh --only=maxcompute                    # the MaxCompute part only (about 45 minutes with the defaults)
# Set KWSYNC_BENCH_SKIP_BUILD=1 to reuse the jars of a previous build.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$KWSYNC_REPO/dev/up.sh"
cd "$KWSYNC_REPO"
if [ "${KWSYNC_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "building the services and the benchmark (package, tests skipped)"
  ./mvnw -B -q package -DskipTests -pl benchmarks -am
fi
case " $* " in
  *" --containers"*) "$KWSYNC_REPO/dev/images.sh" ;;
esac
log "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Xmx3g --add-opens=java.base/java.nio=ALL-UNNAMED -Dkwsync.repo="$KWSYNC_REPO" \
  -cp "benchmarks/target/classes:benchmarks/target/lib/*" io.kwsync.bench.Bench "$@"
