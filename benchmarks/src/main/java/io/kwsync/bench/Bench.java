package io.kwsync.bench;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark of dev/bench.sh. For MariaDB and PostgreSQL: N records produced into a 6-partition topic, timed from
 * the first send to the last row committed through the packaged ingest-service and sink-service, beside the broker's
 * own consume rate of that topic and the database's own bulk-load rate of the same rows; then a steady stream at a
 * fixed rate for the commit latency of each row. Then the same N through the sink's MaxCompute mode into the local
 * MaxCompute emulator. Prints one table (also written to target/bench-.../results.md).
 */
public final class Bench {

    static final int PARTITIONS = 6;

    /** Options, all fixed by default so that two runs measure the same work. */
    record Options(long records, long mcRecords, int rate, int seconds, long seed, boolean profile, List<String> only,
                   List<Integer> mcRates, int mcSeconds, List<String> mcModes, String containers, List<Integer> tables,
                   Shape shape, boolean avro) {

        static Options parse(String[] args) {
            Map<String, String> o = new HashMap<>();
            for (String a : args) {
                if (!a.startsWith("--")) throw new IllegalArgumentException("unknown argument " + a);
                String[] kv = a.substring(2).split("=", 2);
                o.put(kv[0], kv.length > 1 ? kv[1] : "true");
            }
            long records = Long.parseLong(o.getOrDefault("records", "1000000"));
            // --containers: the services in their images (dev/images.sh); --containers=256m with that memory limit
            String containers = o.get("containers");
            if ("true".equals(containers)) containers = "";
            if (containers != null && Boolean.parseBoolean(o.getOrDefault("profile", "false"))) {
                throw new IllegalArgumentException("--profile records JVM processes, not containers");
            }
            return new Options(records, Long.parseLong(o.getOrDefault("mc-records", Long.toString(Math.min(records, 200_000)))),
                    Integer.parseInt(o.getOrDefault("rate", "5000")), Integer.parseInt(o.getOrDefault("seconds", "60")),
                    Long.parseLong(o.getOrDefault("seed", "42")), Boolean.parseBoolean(o.getOrDefault("profile", "false")),
                    List.of(o.getOrDefault("only", "mariadb,postgresql,maxcompute").split(",")),
                    Arrays.stream(o.getOrDefault("mc-rates", "1000,10000").split(",")).filter(x -> !x.isBlank()).map(Integer::parseInt).toList(),
                    Integer.parseInt(o.getOrDefault("mc-seconds", "300")),
                    List.of(o.getOrDefault("mc-modes", "append,stream,upsert").split(",")), containers,
                    // --tables=1,10,100: the JDBC part is then the routing runs only
                    Arrays.stream(o.getOrDefault("tables", "").split(",")).filter(x -> !x.isBlank()).map(Integer::parseInt).toList(),
                    // --shape=wide: 50 fields of about 2 KB instead of 7 of about 200 bytes
                    Shape.parse(o.getOrDefault("shape", "narrow")), avro(o));
        }

        /** --format=avro: the JDBC runs read Avro values through the local schema registry instead of JSON. */
        private static boolean avro(Map<String, String> o) {
            String format = o.getOrDefault("format", "json");
            if (!format.equals("json") && !format.equals("avro")) throw new IllegalArgumentException("--format is json or avro");
            if (format.equals("avro") && (o.containsKey("tables") || !o.containsKey("only")
                    || o.get("only").contains("maxcompute"))) {
                throw new IllegalArgumentException("--format=avro is for the JDBC runs: give --only=mariadb,postgresql (or one)");
            }
            return format.equals("avro");
        }
    }

    /** One JDBC destination's numbers. */
    record JdbcResult(double endToEnd, double consumeCeiling, double bulkCeiling, long[] latencies, long ingestRssKib, long sinkRssKib,
                      Cpu cpu, WarmCpu steady) {

        long percentile(double p) {
            return latencies[(int) Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)];
        }
    }

    /** The MaxCompute runs' numbers. */
    record MaxComputeResult(MaxComputeBench.Throughput throughput, List<MaxComputeBench.Steady> steady) {
    }

    /**
     * CPU time per 1,000 records during a throughput run: each service (unlike rates, it hardly depends on what else
     * runs on the machine), the broker, the database server, this JVM (the producer), and all cores together.
     */
    record Cpu(double ingestMillisPerThousand, double sinkMillisPerThousand, double broker, double database, double producer,
               double machine) {

        /** CPU used so far, in milliseconds, in the order of the fields above. */
        static long[] now(Service ingest, Service sink, Database db) {
            return new long[]{ingest.cpuMillis(), sink.cpuMillis(), ProcessCpu.millis(ProcessCpu::broker),
                    db == null ? 0 : ProcessCpu.millis(db::isServer), ProcessCpu.self(), ProcessCpu.machineBusy()};
        }

        static Cpu between(long[] before, long[] after, long n) {
            double[] d = new double[before.length];
            for (int i = 0; i < d.length; i++) d[i] = (after[i] - before[i]) * 1000.0 / n;
            return new Cpu(d[0], d[1], d[2], d[3], d[4], d[5]);
        }
    }

    private final Options options;
    private final Path repo;
    private final Service.Launch launch;
    private final Path out;
    private final String bootstrap;
    private final Workload workload;
    /** produced_ms of record i in the throughput runs is base + i / 100: a fixed moment, so every run sends the same bytes. */
    private final long base = 1_763_000_000_000L;

    Bench(Options options, Path repo, Path out) {
        this.options = options;
        this.repo = repo;
        this.out = out;
        this.bootstrap = System.getenv().getOrDefault("KWSYNC_DEV_BOOTSTRAP", "127.0.0.1:9092");
        this.workload = new Workload(options.seed(), PARTITIONS, options.shape(), options.avro());
        this.launch = new Service.Launch(repo, out, options.profile(), options.containers());
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path repo = Path.of(System.getProperty("kwsync.repo", ".")).toAbsolutePath().normalize();
        Path out = repo.resolve("benchmarks/target/bench-" + Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(':', '-'));
        Files.createDirectories(out);
        // an interrupted run (Ctrl-C, timeout) must not leave the services it started running
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ProcessHandle.current().children().forEach(ProcessHandle::destroy)));
        new Bench(options, repo, out).run();
    }

    void run() throws Exception {
        String loadBefore = MachineInfo.load();
        Instant started = Instant.now();
        log("output in " + out);
        if (!options.tables().isEmpty()) {
            runTables(loadBefore, started);
            return;
        }
        Map<Database, JdbcResult> jdbc = new LinkedHashMap<>();
        Path csv = null;
        for (Database db : Database.values()) {
            if (!options.only().contains(db.name().toLowerCase(Locale.ROOT))) continue;
            if (csv == null) csv = writeCsv();
            jdbc.put(db, jdbc(db, csv));
        }
        if (csv != null) Files.delete(csv);
        MaxComputeResult mc = options.only().contains("maxcompute") ? maxCompute() : null;
        String table = Report.table(options, jdbc, mc, started, Duration.between(started, Instant.now()),
                loadBefore, MachineInfo.load());
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("results.md"), table);
        if (options.profile()) printProfiles();
    }

    /** The routing runs (--tables) for the JDBC databases in --only. */
    private void runTables(String loadBefore, Instant started) throws Exception {
        List<Database> dbs = Arrays.stream(Database.values()).filter(db -> options.only().contains(db.name().toLowerCase(Locale.ROOT))).toList();
        TablesBench.Env env = new TablesBench.Env() {
            @Override
            public void createTopic(String topic) {
                Bench.this.createTopic(topic);
            }

            @Override
            public void cleanUp(Database db, String connector, String source) throws Exception {
                Bench.this.cleanUp(db, connector, source);
            }

            @Override
            public Map<String, String> jdbcEnv(Database db, String connector, String source, String table) {
                return Bench.this.jdbcEnv(db, connector, source, table);
            }
        };
        var results = new TablesBench(launch, bootstrap, workload, env).runAll(dbs, options.records(), options.tables(), base);
        String table = TablesBench.report(options, results, started, Duration.between(started, Instant.now()), loadBefore, MachineInfo.load());
        System.out.println();
        System.out.println(table);
        Files.writeString(out.resolve("results.md"), table);
    }

    private JdbcResult jdbc(Database db, Path csv) throws Exception {
        long n = options.records();
        String connector = unique("bench-" + db.tag);
        String table = connector.replace('-', '_');
        String source = connector + "-src";
        createTopic(source);
        db.createTable(table, workload.shape());
        List<ProducerRecord<byte[], byte[]>> records = workload.prebuilt(source, n, base);
        double e2e;
        long ingestRss;
        long sinkRss;
        Cpu cpu;
        WarmCpu steady;
        log(db.title + ": throughput of " + n + " records through " + connector);
        try (Service ingest = launch.start("ingest-service", connector + "-ingest", jdbcEnv(db, connector, source, table), true);
             Service sink = launch.start("sink-service", connector + "-sink", jdbcEnv(db, connector, source, table), true);
             Connection c = db.connect(); AdminClient admin = admin()) {
            long[] cpuBefore = Cpu.now(ingest, sink, db);
            long first = Workload.produceAll(bootstrap, records);
            log(db.title + ": produced after " + millis(System.nanoTime() - first) + " ms");
            long[] published = {0};
            steady = new WarmCpu(n, ingest, sink);
            long last = Polling.until(Duration.ofMinutes(10), Duration.ofMillis(50), () -> {
                ingest.checkAlive();
                sink.checkAlive();
                if (published[0] == 0) {
                    long end = rowsTopicEnd(admin, connector);
                    steady.ingestAt(end);
                    if (end >= n) published[0] = System.nanoTime();
                }
                long committed = db.committed(c, connector);
                steady.sinkAt(committed);
                return committed >= n;
            });
            e2e = n * 1e9 / (last - first);
            log(db.title + ": rows topic complete after " + millis((published[0] == 0 ? last : published[0]) - first)
                    + " ms, last row committed after " + millis(last - first) + " ms");
            cpu = Cpu.between(cpuBefore, Cpu.now(ingest, sink, db), n);
            ingestRss = ingest.peakRssKib();
            sinkRss = sink.peakRssKib();
            log(String.format(Locale.ROOT, "%s: %,.0f rows/s end to end", db.title, e2e));
        }
        double consume = Ceilings.consumeRate(bootstrap, source, n);
        log(String.format(Locale.ROOT, "%s: broker consume ceiling %,.0f records/s", db.title, consume));
        String bulkTable = table + "_bulk";
        db.createTable(bulkTable, workload.shape());
        double bulk = db.bulkLoad(bulkTable, csv, n, workload.columnList());
        log(String.format(Locale.ROOT, "%s: bulk-load ceiling %,.0f rows/s", db.title, bulk));
        db.dropTable(bulkTable);
        db.dropTable(table);
        cleanUp(db, connector, source);

        long[] latencies = latency(db);
        return new JdbcResult(e2e, consume, bulk, latencies, ingestRss, sinkRss, cpu, steady);
    }

    private long[] latency(Database db) throws Exception {
        int total = options.rate() * options.seconds();
        String connector = unique("bench-lat-" + db.tag);
        String table = connector.replace('-', '_');
        String source = connector + "-src";
        createTopic(source);
        db.createTable(table, workload.shape());
        log(db.title + ": latency at " + options.rate() + " records/s for " + options.seconds() + " s");
        try (Service ingest = launch.start("ingest-service", connector + "-ingest", jdbcEnv(db, connector, source, table), false);
             Service sink = launch.start("sink-service", connector + "-sink", jdbcEnv(db, connector, source, table), false);
             Connection c = db.connect()) {
            workload.produceAtRate(bootstrap, source, options.rate(), options.seconds());
            Polling.until(Duration.ofMinutes(5), Duration.ofMillis(200), () -> {
                ingest.checkAlive();
                sink.checkAlive();
                return db.committed(c, connector) >= total;
            });
        }
        long[] latencies = db.latencies(table, total);
        db.dropTable(table);
        cleanUp(db, connector, source);
        return latencies;
    }

    private Map<String, String> jdbcEnv(Database db, String connector, String source, String table) {
        Map<String, String> env = new HashMap<>(commonEnv(connector, source, table));
        if (workload.avro()) {
            env.put("KWSYNC_VALUE_FORMAT", "avro");
            env.put("KWSYNC_RECORD_LAYOUT", "json-columns");
            env.put("KWSYNC_SCHEMA_REGISTRY_URL", Registry.url());
        }
        env.put("KWSYNC_JDBC_URL", db.url);
        env.put("KWSYNC_JDBC_USER", Database.user());
        env.put("KWSYNC_JDBC_PASSWORD", Database.password());
        return env;
    }

    private Map<String, String> commonEnv(String connector, String source, String table) {
        return Map.of("KWSYNC_CONNECTOR_NAME", connector, "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "KWSYNC_SOURCE_TOPICS", source, "KWSYNC_DESTINATION_TABLE", table);
    }

    private MaxComputeResult maxCompute() throws Exception {
        MaxComputeBench mc = new MaxComputeBench(launch, bootstrap, workload, this::createTopic, this::deleteTopics);
        MaxComputeBench.Throughput throughput = options.mcRecords() > 0 ? mc.throughput(options.mcRecords(), base, options.profile()) : null;
        List<MaxComputeBench.Steady> steady = new ArrayList<>();
        for (String mode : options.mcModes()) {
            for (int rate : options.mcRates()) steady.add(mc.steady(mode, rate, options.mcSeconds()));
        }
        return new MaxComputeResult(throughput, steady);
    }

    /** The bulk loads' input: the same N rows, as CSV. */
    private Path writeCsv() throws IOException {
        Path csv = out.resolve("rows.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            for (long i = 0; i < options.records(); i++) w.write(workload.csv(i, base + i / 100));
        }
        return csv;
    }

    private void printProfiles() throws IOException {
        try (var files = Files.list(out)) {
            for (Path jfr : files.filter(p -> p.toString().endsWith(".jfr")).sorted().toList()) {
                Profiles.print(jfr, jfr.getFileName().toString(), 15, System.out);
            }
        }
    }

    private void createTopic(String topic) {
        try (AdminClient admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + topic, e);
        }
    }

    /** Frees the broker's disk and the progress rows of a finished run. */
    private void cleanUp(Database db, String connector, String source) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("DELETE FROM kwsync_offsets WHERE connector_name = ?")) {
            ps.setString(1, connector);
            ps.executeUpdate();
        }
        deleteTopics(List.of(source, "kwsync-rows-" + connector, "connect-error-" + connector));
    }

    private void deleteTopics(List<String> topics) {
        try (AdminClient admin = admin()) {
            List<String> existing = new ArrayList<>(admin.listTopics().names().get(30, TimeUnit.SECONDS));
            existing.retainAll(topics);
            admin.deleteTopics(existing).all().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log("could not delete topics " + topics + ": " + e);
        }
    }

    /** Records on the rows topic of connector: what ingest-service has published so far. */
    static long rowsTopicEnd(AdminClient admin, String connector) throws Exception {
        String topic = "kwsync-rows-" + connector;
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (var p : admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions()) {
            request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
        }
        long sum = 0;
        for (var info : admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values()) sum += info.offset();
        return sum;
    }

    private AdminClient admin() {
        return admin(bootstrap);
    }

    static AdminClient admin(String bootstrap) {
        return AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** Unique per run, derived from the clock only for the name (the workload itself is fixed). */
    static String unique(String prefix) {
        return prefix + "-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000L;
    }

    static void log(String message) {
        PrintStream err = System.err;
        err.println("[bench " + Instant.now().atOffset(ZoneOffset.UTC).toLocalTime().truncatedTo(ChronoUnit.SECONDS) + "] " + message);
    }
}
