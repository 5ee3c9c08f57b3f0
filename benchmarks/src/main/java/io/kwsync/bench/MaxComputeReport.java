package io.kwsync.bench;

import java.util.Locale;

/** The MaxCompute runs as Markdown: the throughput line, and one table row per write mode and rate. */
final class MaxComputeReport {

    private MaxComputeReport() {
    }

    static String table(Bench.MaxComputeResult mc) {
        StringBuilder sb = new StringBuilder();
        MaxComputeBench.Throughput t = mc.throughput();
        if (t != null) {
            sb.append(String.format(Locale.ROOT, "MaxCompute, paced append with the defaults (key-value layout, tunnel uploads with zlib"
                    + " through odps-sdk-core into the local MaxComputeEmulator in the benchmark's JVM), %,d records sent at once:"
                    + " **%,.0f records/s** from the first send to the last record uploaded into the open session; %,.0f records/s"
                    + " to the last one visible, the sessions committed by the SIGTERM that followed; peak RSS ingest-service /"
                    + " sink-service %d / %d MiB; CPU time per 1,000 records %.0f / %.0f ms, after the first fifth %.1f / %.1f ms"
                    + " (of that the JIT compiler's threads %.1f / %.1f, the garbage collector's %.1f / %.1f).%n%n", t.records(),
                    t.uploadedPerSecond(), t.visiblePerSecond(), t.ingestRssKib() / 1024, t.sinkRssKib() / 1024,
                    t.cpu().ingestMillisPerThousand(), t.cpu().sinkMillisPerThousand(), t.steady().ingest, t.steady().sink,
                    t.steady().ingestJit, t.steady().sinkJit, t.steady().ingestGc, t.steady().sinkGc));
        }
        if (mc.steady().isEmpty()) return sb.toString();
        sb.append("| MaxCompute write mode, rate for the run into one hourly partition | commits per partition per hour |"
                + " files per hour | average file (KiB) | records/s sent; all visible after the last send (s) |"
                + " latency send to visible, p50 / p99 (ms) | sink CPU per 1,000 records (ms) | sessions / commits / files |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (MaxComputeBench.Steady r : mc.steady()) {
            sb.append(String.format(Locale.ROOT, "| %s, %,d records/s for %d s | %.0f | %.0f | %.1f | %,.0f; %.0f | %d / %d | %.1f | %d / %d / %d |%n",
                    r.mode().equals("append") ? "paced append" : r.mode(), r.rate(), r.seconds(), r.commitsPerHour(), r.filesPerHour(),
                    r.averageFileBytes() / 1024, r.sentPerSecond(), r.drainSeconds(), r.p50(), r.p99(), r.sinkCpuPerThousand(),
                    r.sessions(), r.commits(), r.files()));
        }
        return sb.append('\n').toString();
    }
}
