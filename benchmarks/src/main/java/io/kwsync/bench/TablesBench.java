package io.kwsync.bench;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The routing part of the benchmark (--tables=1,10,100): the throughput workload's N records, each with a header
 * {@code table} naming one of T tables, routed by ingest-service's template {@code PREFIX_${header.table}}, so that
 * every source partition interleaves rows of all T tables. Timed as the main throughput run (first record sent to
 * the last row committed); the 1-table run goes through the same template, so the runs differ only in the number of
 * tables. Every table's row count is checked after each run.
 */
final class TablesBench {

    /** What a run needs from the benchmark around it. */
    interface Env {
        void createTopic(String topic);

        void cleanUp(Database db, String connector, String source) throws Exception;

        Map<String, String> jdbcEnv(Database db, String connector, String source, String table);
    }

    private final Service.Launch launch;
    private final String bootstrap;
    private final Workload workload;
    private final Env env;

    TablesBench(Service.Launch launch, String bootstrap, Workload workload, Env env) {
        this.launch = launch;
        this.bootstrap = bootstrap;
        this.workload = workload;
        this.env = env;
    }

    /** Rows per second end to end with {@code tables} tables. */
    double run(Database db, long n, int tables, long base) throws Exception {
        String connector = Bench.unique("bench-t" + tables + "-" + db.tag);
        String prefix = connector.replace('-', '_');
        String source = connector + "-src";
        env.createTopic(source);
        List<String> names = new ArrayList<>();
        for (int t = 0; t < tables; t++) {
            names.add(prefix + "_t" + t);
            db.createTable(names.get(t), workload.shape());
        }
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>((int) n);
        long[] expected = new long[tables];
        for (long i = 0; i < n; i++) {
            ProducerRecord<byte[], byte[]> r = workload.record(source, i, base + i / 100);
            // consecutive records of a partition go to consecutive tables
            int t = (int) ((i / Bench.PARTITIONS) % tables);
            expected[t]++;
            byte[] table = ("t" + t).getBytes(StandardCharsets.UTF_8);
            RecordHeaders headers = new RecordHeaders();
            headers.add("table", table);
            records.add(new ProducerRecord<>(source, r.partition(), null, r.key(), r.value(), headers));
        }
        Map<String, String> vars = new HashMap<>(env.jdbcEnv(db, connector, source, prefix + "_${header.table}"));
        vars.put("KWSYNC_DESTINATION_TABLE_ALLOW", prefix + "_t[0-9]+");
        Bench.log(db.title + ": " + n + " records over " + tables + " tables through " + connector);
        double rate;
        try (Service ingest = launch.start("ingest-service", connector + "-ingest", vars, false);
             Service sink = launch.start("sink-service", connector + "-sink", vars, false);
             Connection c = db.connect()) {
            long first = Workload.produceAll(bootstrap, records);
            long last = Polling.until(Duration.ofMinutes(10), Duration.ofMillis(50), () -> {
                ingest.checkAlive();
                sink.checkAlive();
                return db.committed(c, connector) >= n;
            });
            rate = n * 1e9 / (last - first);
            try (Statement st = c.createStatement()) {
                for (int t = 0; t < tables; t++) {
                    try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + names.get(t))) {
                        rs.next();
                        long count = rs.getLong(1);
                        if (count != expected[t]) {
                            throw new IllegalStateException(names.get(t) + " holds " + count + " rows, expected " + expected[t]);
                        }
                    }
                }
            }
        }
        Bench.log(String.format(Locale.ROOT, "%s, %d tables: %,.0f rows/s end to end", db.title, tables, rate));
        for (String t : names) db.dropTable(t);
        env.cleanUp(db, connector, source);
        return rate;
    }

    /** Each database's rate per table count. */
    Map<Database, Map<Integer, Double>> runAll(List<Database> dbs, long n, List<Integer> counts, long base) throws Exception {
        Map<Database, Map<Integer, Double>> out = new LinkedHashMap<>();
        for (Database db : dbs) {
            Map<Integer, Double> rates = new LinkedHashMap<>();
            for (int t : counts) rates.put(t, run(db, n, t, base));
            out.put(db, rates);
        }
        return out;
    }

    static String report(Bench.Options o, Map<Database, Map<Integer, Double>> results, Instant started, Duration took,
                         String loadBefore, String loadAfter) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "`dev/bench.sh --records=%d --seed=%d --only=%s --tables=%s`%n%n", o.records(), o.seed(),
                String.join(",", o.only()), String.join(",", o.tables().stream().map(String::valueOf).toList())));
        sb.append("Run ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" on ").append(MachineInfo.describe())
                .append(", in ").append(took.toSeconds()).append(" s; load average before ").append(loadBefore)
                .append(", after ").append(loadAfter).append(".\n\n");
        sb.append("| ").append(String.format(Locale.ROOT, "%,d", o.records()))
                .append(" JSON records routed by `KWSYNC_DESTINATION_TABLE=..._${header.table}`, end to end (rows/s) |");
        results.keySet().forEach(db -> sb.append(' ').append(db.title).append(" |"));
        sb.append("\n|---|");
        results.keySet().forEach(db -> sb.append("---:|"));
        sb.append('\n');
        for (int t : o.tables()) {
            sb.append("| ").append(t).append(t == 1 ? " table" : " tables").append(" |");
            results.values().forEach(r -> sb.append(' ').append(String.format(Locale.ROOT, "%,.0f", r.get(t))).append(" |"));
            sb.append('\n');
        }
        return sb.toString();
    }
}
