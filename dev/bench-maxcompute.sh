#!/usr/bin/env bash
# Micro-benchmark of the MaxCompute writer's CPU per record (io.kwsync.bench.MaxComputeWriteBench): filling the SDK
# records of key-value rows (the sink's work), packing them into a block (the SDK's), and writing blocks of 1,000 rows
# to the MaxCompute emulator in the same JVM, zlib and uncompressed; packing alone with the SDK's other compressions;
# filling and packing the benchmark's wide rows (50 columns). One writing thread, its CPU time per 1,000 rows.
#   dev/bench-maxcompute.sh [--rounds=7] [--seconds=2] [--warmup=3] [--only=TEXT]
# Set KWSYNC_BENCH_SKIP_BUILD=1 to reuse the jars of a previous build.
exec "$(dirname "$0")/micro-bench.sh" MaxComputeWriteBench "$@"
