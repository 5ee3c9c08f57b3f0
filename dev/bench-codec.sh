#!/usr/bin/env bash
# Micro-benchmark of the per-record work around the rows topic (io.kwsync.bench.CodecBench): a row event's encoding
# and the origin of a source record (ingest-service), its decoding (sink-service), for 7 and 50 columns. One thread,
# no Kafka, no database. Prints CPU ms per 1,000 records per case.
#   dev/bench-codec.sh [--rounds=7] [--seconds=2] [--warmup=3]
# Set KWSYNC_BENCH_SKIP_BUILD=1 to reuse the jars of a previous build.
exec "$(dirname "$0")/micro-bench.sh" CodecBench "$@"
