package io.kwsync.bench;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.PartitionCounters;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The MaxCompute part of the benchmark, against the local emulator in this JVM (it decodes every block, and shares
 * the CPU): a throughput run of N records sent at once with the sink's defaults (paced append), and steady runs at fixed
 * rates into one hourly partition for each write mode (paced append, stream, upsert into a transactional table), with
 * the emulator's counters of sessions, commits and files, and the latency of every row from its send to the moment it
 * became visible.
 */
final class MaxComputeBench {

    static final String PROJECT = "kwsync_bench";
    /** The streaming connector's table, as GET /api/maxcompute/ddl?layout=key-value gives it. */
    static final String TABLE = " (`topic` STRING, `partition` BIGINT, `offset` BIGINT, `key` STRING, `value` STRING)"
            + " PARTITIONED BY (`pt` STRING) LIFECYCLE 7";
    /** The same with primaryKey=topic,partition,offset: a transactional table that takes upserts. */
    static final String KEYED_TABLE = " (`topic` STRING NOT NULL, `partition` BIGINT NOT NULL, `offset` BIGINT NOT NULL,"
            + " `key` STRING, `value` STRING, PRIMARY KEY (`topic`, `partition`, `offset`)) PARTITIONED BY (`pt` STRING)"
            + " TBLPROPERTIES (\"transactional\"=\"true\") LIFECYCLE 7";

    /** The throughput run. */
    record Throughput(long records, double uploadedPerSecond, double visiblePerSecond, long ingestRssKib, long sinkRssKib,
                      Bench.Cpu cpu, WarmCpu steady) {
    }

    /** One steady run of a write mode at a rate. */
    record Steady(String mode, int rate, int seconds, long records, double sentPerSecond, double drainSeconds,
                  double commitsPerHour, double filesPerHour, double averageFileBytes, long p50, long p99,
                  double sinkCpuPerThousand, int sessions, int commits, int files) {
    }

    private final Service.Launch launch;
    private final String bootstrap;
    private final Workload workload;
    private final Consumer<String> createTopic;
    private final Consumer<List<String>> deleteTopics;

    MaxComputeBench(Service.Launch launch, String bootstrap, Workload workload, Consumer<String> createTopic,
                    Consumer<List<String>> deleteTopics) {
        this.launch = launch;
        this.bootstrap = bootstrap;
        this.workload = workload;
        this.createTopic = createTopic;
        this.deleteTopics = deleteTopics;
    }

    private Map<String, String> env(MaxComputeEmulator mc, String connector, String source, String table) {
        Map<String, String> env = new HashMap<>();
        env.put("KWSYNC_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KWSYNC_CONNECTOR_NAME", connector);
        env.put("KWSYNC_SOURCE_TOPICS", source);
        env.put("KWSYNC_DESTINATION_TABLE", table);
        env.put("KWSYNC_RECORD_LAYOUT", "key-value");
        env.put("KWSYNC_SINK_TYPE", "maxcompute");
        env.put("KWSYNC_MAXCOMPUTE_ENDPOINT", mc.endpoint());
        env.put("KWSYNC_MAXCOMPUTE_PROJECT", PROJECT);
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_ID", MaxComputeEmulator.ACCESS_ID);
        env.put("KWSYNC_MAXCOMPUTE_ACCESS_KEY", MaxComputeEmulator.ACCESS_KEY);
        return env;
    }

    /**
     * N records sent at once, the sink with its defaults: the rate at which the records reached the tunnel (uploaded
     * into open sessions), and at which they were visible once the sink was stopped (SIGTERM commits what it holds).
     */
    Throughput throughput(long n, long base, boolean profile) throws Exception {
        String connector = Bench.unique("bench-mc");
        String table = connector.replace('-', '_');
        String source = connector + "-src";
        createTopic.accept(source);
        try (MaxComputeEmulator mc = MaxComputeEmulator.builder().keepRows(false).start().createProject(PROJECT)) {
            mc.execute(PROJECT, "CREATE TABLE " + table + TABLE);
            Map<String, String> env = env(mc, connector, source, table);
            Bench.log("MaxCompute: throughput of " + n + " records through " + connector + " (paced append, defaults)");
            Throughput r;
            try (Service ingest = launch.start("ingest-service", connector + "-ingest", env, profile);
                 Service sink = launch.start("sink-service", connector + "-sink", env, profile);
                 AdminClient admin = Bench.admin(bootstrap)) {
                List<ProducerRecord<byte[], byte[]>> records = workload.prebuilt(source, n, base);
                long[] cpuBefore = Bench.Cpu.now(ingest, sink, null);
                long first = Workload.produceAll(bootstrap, records);
                WarmCpu steady = new WarmCpu(n, ingest, sink);
                boolean[] published = {false};
                long uploaded = Polling.until(Duration.ofMinutes(10), Duration.ofMillis(50), () -> {
                    if (!published[0]) {
                        long end = Bench.rowsTopicEnd(admin, connector);
                        steady.ingestAt(end);
                        published[0] = end >= n;
                    }
                    long rows = uploaded(mc, table);
                    steady.sinkAt(rows);
                    return rows >= n;
                });
                Bench.Cpu cpu = Bench.Cpu.between(cpuBefore, Bench.Cpu.now(ingest, sink, null), n);
                long ingestRss = ingest.peakRssKib();
                long sinkRss = sink.peakRssKib();
                sink.close(); // SIGTERM: the open sessions are committed before the exit
                long visible = Polling.until(Duration.ofMinutes(2), Duration.ofMillis(50), () -> committed(mc, table) >= n);
                r = new Throughput(n, n * 1e9 / (uploaded - first), n * 1e9 / (visible - first), ingestRss, sinkRss, cpu, steady);
                Bench.log(String.format(Locale.ROOT, "MaxCompute: %,.0f records/s uploaded, %,.0f visible after the SIGTERM commit",
                        r.uploadedPerSecond(), r.visiblePerSecond()));
            }
            deleteTopics.accept(List.of(source, "kwsync-rows-" + connector, "connect-error-" + connector, "connect-offset-" + connector));
            return r;
        }
    }

    /** Rate records/s for seconds in the given write mode, everything in one hourly partition. */
    Steady steady(String mode, int rate, int seconds) throws Exception {
        String connector = Bench.unique("bench-mc-" + mode);
        String table = connector.replace('-', '_');
        String source = connector + "-src";
        createTopic.accept(source);
        long total = (long) rate * seconds;
        long[] latencies = new long[(int) Math.min(Integer.MAX_VALUE - 8, total * 2)];
        AtomicInteger seen = new AtomicInteger();
        try (MaxComputeEmulator mc = MaxComputeEmulator.builder().keepRows(false).start().createProject(PROJECT)) {
            mc.execute(PROJECT, "CREATE TABLE " + table + (mode.equals("upsert") ? KEYED_TABLE : TABLE));
            mc.onVisible((project, t, spec, rows, at) -> {
                long now = System.currentTimeMillis();
                for (Map<String, Object> row : rows) {
                    int i = seen.getAndIncrement();
                    if (i < latencies.length) latencies[i] = now - producedMs((String) row.get("value"));
                }
            });
            Map<String, String> env = env(mc, connector, source, table);
            if (mode.equals("stream")) env.put("KWSYNC_MAXCOMPUTE_WRITE_MODE", "stream");
            Bench.log(String.format(Locale.ROOT, "MaxCompute %s: %,d records/s for %d s through %s", mode, rate, seconds, connector));
            try (Service ingest = launch.start("ingest-service", connector + "-ingest", env, false);
                 Service sink = launch.start("sink-service", connector + "-sink", env, false)) {
                long sinkCpu = sink.cpuMillis();
                long start = System.nanoTime();
                // every record stamped with the run's start: one hourly partition, whatever the clock does meanwhile
                workload.produceAtRate(bootstrap, source, rate, seconds, System.currentTimeMillis());
                long sentAt = System.nanoTime();
                double sent = total * 1e9 / (sentAt - start);
                Polling.until(Duration.ofMinutes(5), Duration.ofMillis(100), () -> seen.get() >= total);
                double runSeconds = (System.nanoTime() - start) / 1e9;
                double cpu = (sink.cpuMillis() - sinkCpu) * 1000.0 / total;
                PartitionCounters c = only(mc, table);
                int files = c.committedFiles();
                long[] measured = Arrays.copyOf(latencies, (int) Math.min(latencies.length, seen.get()));
                Arrays.sort(measured);
                Steady r = new Steady(mode, rate, seconds, total, sent, (System.nanoTime() - sentAt) / 1e9,
                        c.commits() * 3600 / runSeconds, files * 3600 / runSeconds,
                        c.averageFileBytes(), percentile(measured, 0.50), percentile(measured, 0.99), cpu,
                        c.uploadSessions() + c.upsertSessions() + c.streamSessions(), c.commits(), files);
                Bench.log("MaxCompute " + mode + ": " + r);
                mc.onVisible(null);
                deleteTopics.accept(List.of(source, "kwsync-rows-" + connector, "connect-error-" + connector, "connect-offset-" + connector));
                return r;
            }
        }
    }

    private static long producedMs(String value) {
        int at = value.indexOf("\"produced_ms\":") + 14;
        int end = at;
        while (end < value.length() && Character.isDigit(value.charAt(end))) end++;
        return Long.parseLong(value.substring(at, end));
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return -1;
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static PartitionCounters only(MaxComputeEmulator mc, String table) {
        List<PartitionCounters> parts = new ArrayList<>(mc.counters(PROJECT, table).values());
        if (parts.size() != 1) throw new IllegalStateException("expected one partition, the emulator saw " + parts);
        return parts.get(0);
    }

    private static long uploaded(MaxComputeEmulator mc, String table) {
        AtomicLong n = new AtomicLong();
        mc.counters(PROJECT, table).values().forEach(c -> n.addAndGet(c.uploadedRecords()));
        return n.get();
    }

    private static long committed(MaxComputeEmulator mc, String table) {
        AtomicLong n = new AtomicLong();
        mc.counters(PROJECT, table).values().forEach(c -> n.addAndGet(c.committedRecords()));
        return n.get();
    }
}
