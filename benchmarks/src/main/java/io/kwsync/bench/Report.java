package io.kwsync.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** The benchmark's result as a Markdown table, ready for the README. */
final class Report {

    private Report() {
    }

    static String table(Bench.Options o, Map<Database, Bench.JdbcResult> jdbc, Bench.MaxComputeResult mc,
                        Instant started, Duration took, String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        String containers = o.containers() == null ? "" : o.containers().isEmpty() ? " --containers" : " --containers=" + o.containers();
        sb.append(String.format(Locale.ROOT, "`dev/bench.sh --records=%d --mc-records=%d --rate=%d --seconds=%d --seed=%d"
                        + " --only=%s --mc-rates=%s --mc-seconds=%d --mc-modes=%s%s%s`%n%n", o.records(), o.mcRecords(), o.rate(), o.seconds(),
                o.seed(), String.join(",", o.only()), String.join(",", o.mcRates().stream().map(String::valueOf).toList()),
                o.mcSeconds(), String.join(",", o.mcModes()), containers, (o.shape() == Shape.WIDE ? " --shape=wide" : "")
                        + (o.avro() ? " --format=avro" : "")));
        sb.append(o.containers() == null ? "Services run as JVM processes with -Xmx512m.\n\n"
                : "Services run in their images (dev/images.sh) with the image's JVM settings, read-only, "
                + (o.containers().isEmpty() ? "without a memory limit" : "with a memory limit of " + o.containers() + " (no swap)") + ".\n\n");
        sb.append("Run ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" on ").append(MachineInfo.describe())
                .append(", in ").append(took.toSeconds()).append(" s; load average before ").append(loadBefore)
                .append(", after ").append(loadAfter).append(".\n\n");
        if (!jdbc.isEmpty()) {
            String size = o.shape() == Shape.WIDE ? "50 fields, ~2 KB" : "~200 bytes";
            sb.append("| ").append(String.format(Locale.ROOT, "%,d", o.records())).append(o.avro()
                    ? " Avro records (schema registry) of the rows of JSON records of " + size : " JSON records of " + size)
                    .append(", 6 partitions |");
            jdbc.keySet().forEach(db -> sb.append(' ').append(db.title).append(" |"));
            sb.append("\n|---|");
            jdbc.keySet().forEach(db -> sb.append("---:|"));
            sb.append('\n');
            row(sb, jdbc, "end to end, first record produced to last row committed (rows/s)", r -> rate(r.endToEnd()));
            row(sb, jdbc, "ceiling: broker consume rate of the topic, ConsumerPerformance (records/s)", r -> rate(r.consumeCeiling()));
            row(sb, jdbc, "ceiling: bulk load of the same rows, LOAD DATA LOCAL INFILE / COPY (rows/s)", r -> rate(r.bulkCeiling()));
            row(sb, jdbc, "end to end / broker consume ceiling", r -> percent(r.endToEnd() / r.consumeCeiling()));
            row(sb, jdbc, "end to end / bulk-load ceiling", r -> percent(r.endToEnd() / r.bulkCeiling()));
            row(sb, jdbc, String.format(Locale.ROOT, "latency produce to commit at %,d records/s for %d s, p50 / p99 / max (ms)", o.rate(), o.seconds()),
                    r -> r.percentile(0.50) + " / " + r.percentile(0.99) + " / " + r.latencies()[r.latencies().length - 1]);
            row(sb, jdbc, "peak RSS (VmHWM) ingest-service / sink-service (MiB)", r -> mib(r.ingestRssKib()) + " / " + mib(r.sinkRssKib()));
            row(sb, jdbc, "CPU time per 1,000 records in the throughput run, ingest-service / sink-service (ms)", r -> cpu(r.cpu()));
            row(sb, jdbc, "the same after the first fifth of the records, ingest-service / sink-service (ms)",
                    r -> String.format(Locale.ROOT, "%.1f / %.1f", r.steady().ingest, r.steady().sink));
            row(sb, jdbc, "of that, the JIT compiler's threads, ingest-service / sink-service (ms)",
                    r -> String.format(Locale.ROOT, "%.1f / %.1f", r.steady().ingestJit, r.steady().sinkJit));
            row(sb, jdbc, "of that, the garbage collector's threads, ingest-service / sink-service (ms)",
                    r -> String.format(Locale.ROOT, "%.1f / %.1f", r.steady().ingestGc, r.steady().sinkGc));
            row(sb, jdbc, "after the first fifth without the JIT compiler's threads, ingest-service / sink-service / both and the broker's whole-run figure (ms)",
                    r -> String.format(Locale.ROOT, "%.1f / %.1f / %.1f", r.steady().ingest - r.steady().ingestJit,
                            r.steady().sink - r.steady().sinkJit,
                            r.steady().ingest - r.steady().ingestJit + r.steady().sink - r.steady().sinkJit + r.cpu().broker()));
            row(sb, jdbc, "CPU time per 1,000 records, broker / database server / benchmark's producer (ms)", r -> String.format(Locale.ROOT,
                    "%.0f / %.0f / %.0f", r.cpu().broker(), r.cpu().database(), r.cpu().producer()));
            row(sb, jdbc, String.format(Locale.ROOT, "all %d cores busy per 1,000 records (ms), and the rate that would fill them (rows/s)",
                    MachineInfo.cores()), r -> String.format(Locale.ROOT, "%.0f, %s", r.cpu().machine(),
                    rate(MachineInfo.cores() * 1_000_000.0 / r.cpu().machine())));
            sb.append('\n');
        }
        if (mc != null) sb.append(MaxComputeReport.table(mc));
        return sb.toString();
    }

    private static void row(StringBuilder sb, Map<Database, Bench.JdbcResult> jdbc, String title, Function<Bench.JdbcResult, String> cell) {
        sb.append("| ").append(title).append(" |");
        jdbc.values().forEach(r -> sb.append(' ').append(cell.apply(r)).append(" |"));
        sb.append('\n');
    }

    private static String cpu(Bench.Cpu cpu) {
        return String.format(Locale.ROOT, "%.0f / %.0f", cpu.ingestMillisPerThousand(), cpu.sinkMillisPerThousand());
    }

    private static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    private static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    private static String mib(long kib) {
        return Long.toString(kib / 1024);
    }
}
