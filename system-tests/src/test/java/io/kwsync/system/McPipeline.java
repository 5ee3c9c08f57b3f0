package io.kwsync.system;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.PartitionCounters;
import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One connector from a source topic through ingest-service (key-value layout, hourly partitions) and sink-service into
 * a table of a MaxCompute emulator, as processes: its names, its environment (set before the services start), the
 * records produced, and what the emulator holds. Record i goes to source partition {@code partitionOf(i)} with key
 * {@code keyOf(i)}, value "v" + i and a timestamp in the same hour as every other record (one destination partition).
 */
final class McPipeline implements AutoCloseable {

    /** 14:00-14:59 Beijing time: pt=11-17-2020 14. */
    static final String HOUR = "pt=11-17-2020 14";
    static final String KV = "(topic STRING, `partition` BIGINT, `offset` BIGINT, key STRING, value STRING)";

    final MaxComputeEmulator mc;
    final String project;
    final String connector;
    final String source;
    final String table;
    final int partitions;
    final Map<String, String> env;
    final ServiceProcess ingest;
    final ServiceProcess sink;
    /** Distinct keys, or 0 when every record has its own key. */
    private final int keys;

    /**
     * @param columns the table's columns and properties after its name, e.g. {@link #KV} + " PARTITIONED BY (pt STRING)";
     *                null: the sink creates it (KWSYNC_MAXCOMPUTE_CREATE_TABLE set by the caller)
     * @param keys    distinct keys (records with one key all go to one source partition, so the last one is defined);
     *                0: one key per record
     */
    McPipeline(MaxComputeEmulator mc, String project, String prefix, String columns, int partitions, int keys) {
        this.mc = mc;
        this.project = project;
        this.connector = TestKafka.unique(prefix);
        this.source = connector + "-src";
        this.table = connector.replace('-', '_');
        this.partitions = partitions;
        this.keys = keys;
        if (columns != null) mc.execute(project, "CREATE TABLE " + table + " " + columns);
        TestKafka.createTopic(source, partitions);
        env = MaxComputeEndToEndIT.env(mc, project, connector, source, table);
        env.put("KWSYNC_SINK_BATCH_MAX_ROWS", "200");
        env.put("KWSYNC_SINK_BATCH_MAX_AGE", "200ms");
        env.put("KWSYNC_MAXCOMPUTE_CALL_TIMEOUT", "3s");
        ingest = new ServiceProcess("ingest-service", connector + "-ingest", env);
        sink = new ServiceProcess("sink-service", connector + "-sink", env);
        // the restarted sink gets the killed one's partitions after this long (the broker's minimum is 6s)
        sink.envPut(Map.of("MP_MESSAGING_INCOMING_ROWS_SESSION_TIMEOUT_MS", "8000"));
    }

    String keyOf(int i) {
        return "k" + (keys == 0 ? i : i % keys);
    }

    int partitionOf(int i) {
        return keys == 0 ? i % partitions : (i % keys) % partitions;
    }

    /** Produces records [from, to), each a second apart within the hour. */
    void produce(int from, int to) {
        long base = Instant.parse("2020-11-17T06:00:00Z").toEpochMilli();
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < to; i++) {
            records.add(new ProducerRecord<>(source, partitionOf(i), base + (i % 3600) * 1000L,
                    MaxComputeEndToEndIT.utf8(keyOf(i)), MaxComputeEndToEndIT.utf8("v" + i)));
        }
        TestKafka.sendAll(records);
    }

    /** Starts ingest and sink (the sink with extra settings) and waits until both are ready. */
    McPipeline start(Map<String, String> sinkSettings) {
        ingest.startReady(Duration.ofSeconds(90));
        startSink(sinkSettings);
        return this;
    }

    void startSink(Map<String, String> settings) {
        sink.envPut(settings);
        sink.startReady(Duration.ofSeconds(90));
    }

    long rowCount() {
        return mc.rowCount(project, table);
    }

    PartitionCounters counters() {
        return mc.counters(project, table, HOUR);
    }

    /** Records that reached the service, committed or not. */
    long uploaded() {
        return counters().uploadedRecords();
    }

    /** The consumer group's committed offsets of the rows topic. */
    Map<Integer, Long> committedOffsets() {
        return TestKafka.committed("kwsync-sink-" + connector, "kwsync-rows-" + connector);
    }

    void awaitRows(long n, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> rowCount() >= n); // a stall dumps threads
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // one line, so that even a CI summary that shows only the failure's message says where it stopped
            throw new AssertionError(rowCount() + " of " + n + " rows after " + timeout + "; " + counters() + "; sink "
                    + liveness()
                    + "; sink's last problems: " + sink.lastProblems(3) + "; ingest's: " + ingest.lastProblems(2), e);
        }
        // nothing more arrives later: a replay that slipped through would show up here
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20)).until(() -> rowCount() == n);
    }

    private String liveness() {
        if (!sink.isAlive()) return "exited";
        try {
            return "live: " + sink.get("/q/health/live").replaceAll("\\s+", " ");
        } catch (RuntimeException e) {
            return "not answering (" + e.getMessage() + ")";
        }
    }

    /** How many times each source record is in the table: (source partition, offset) -> copies. */
    Map<String, Integer> copies() {
        Map<String, Integer> out = new TreeMap<>();
        for (List<Map<String, Object>> rows : mc.allRows(project, table).values()) {
            for (Map<String, Object> r : rows) out.merge(r.get("partition") + "@" + r.get("offset"), 1, Integer::sum);
        }
        return out;
    }

    /** Every record produced, [0, n), once; keys and values as produced. */
    void assertExactlyOnce(int n) {
        Map<String, Integer> copies = copies();
        List<String> twice = copies.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), twice, "source records written more than once");
        assertEquals(n, copies.size(), "every record once");
        for (Map<String, Object> r : mc.rows(project, table, HOUR)) {
            int i = Integer.parseInt(((String) r.get("value")).substring(1));
            assertEquals(keyOf(i), r.get("key"));
            assertEquals((long) partitionOf(i), r.get("partition"));
        }
    }

    /** For a table keyed by {@code key}: one row per key, holding the value of the last record with that key. */
    void assertOneRowPerKey(int n) {
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < n; i++) expected.put(keyOf(i), "v" + i);
        Map<String, String> actual = new HashMap<>();
        for (Map<String, Object> r : mc.rows(project, table, HOUR)) {
            assertTrue(actual.put((String) r.get("key"), (String) r.get("value")) == null, "key twice: " + r);
        }
        assertEquals(expected, actual);
    }

    @Override
    public void close() {
        sink.close();
        ingest.close();
    }
}
