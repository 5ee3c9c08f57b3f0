package io.kwsync.bench;

import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Micro-benchmark of the per-record work around the rows topic, without Kafka or a database: a row event's encoding
 * (ingest) and decoding (sink), for the benchmark's two record shapes
 * (7 and 50 columns, with the value types the JSON of {@link Workload} gives). One thread, warm, interleaved rounds;
 * the figure is the thread's CPU time per 1,000 records, the minimum over the rounds, which is what other work on a
 * shared machine disturbs least. Checks first that decoding gives back the encoded row.
 *
 * <p>Run: {@code dev/bench-codec.sh} (options {@code --rounds=N} (7), {@code --seconds=N} per case and round (2),
 * {@code --warmup=N} seconds per case (3)).
 */
public final class CodecBench {

    private static volatile long sink;

    public static void main(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "2"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "7"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));

        Origin origin = new Origin("bench", 3, 123_456_789L, 1_700_000_000_000L, "k123456789".getBytes(StandardCharsets.UTF_8), List.of());
        RowEvent narrow = new RowEvent(origin, Destination.table("bench_narrow"), columns(Shape.NARROW), null, 123_456_788L);
        RowEvent wide = new RowEvent(origin, Destination.table("bench_wide"), columns(Shape.WIDE), null, 123_456_788L);
        byte[] narrowBytes = RowEventCodec.encode(narrow);
        byte[] wideBytes = RowEventCodec.encode(wide);
        if (!RowEventCodec.decode(narrowBytes).equals(narrow) || !RowEventCodec.decode(wideBytes).equals(wide)) {
            throw new IllegalStateException("decoding does not give back the encoded row");
        }
        Map<String, Object> narrowColumns = new LinkedHashMap<>(narrow.columns());

        Map<String, IntSupplier> cases = new LinkedHashMap<>();
        cases.put("ingest: new RowEvent, 7 columns", () -> new RowEvent(origin, narrow.destination(), narrowColumns, null, 1).columns().size());
        cases.put("ingest: encode, 7 columns", () -> RowEventCodec.encode(narrow).length);
        cases.put("ingest: encode, 50 columns", () -> RowEventCodec.encode(wide).length);
        cases.put("sink:   decode, 7 columns", () -> RowEventCodec.decode(narrowBytes).columns().size());
        cases.put("sink:   decode, 50 columns", () -> RowEventCodec.decode(wideBytes).columns().size());
        System.out.printf("row event sizes: 7 columns %d bytes, 50 columns %d bytes%n", narrowBytes.length, wideBytes.length);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<String> names = new ArrayList<>(cases.keySet());
        double[][] cpuPer1000 = new double[names.size()][rounds];
        for (String name : names) run(cases.get(name), warmup * 1_000_000_000L);
        // rounds interleave the cases, so a burst of load elsewhere on the machine hits all of them alike
        for (int r = 0; r < rounds; r++) {
            for (int c = 0; c < names.size(); c++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long n = run(cases.get(names.get(c)), seconds * 1_000_000_000L);
                cpuPer1000[c][r] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / (n / 1000.0);
            }
        }
        System.out.printf("%d rounds of %d s per case; load average %s%n", rounds, seconds, loadAverage());
        System.out.printf("%-44s %18s %18s%n", "case", "CPU ms/1000 (min)", "CPU ms/1000 (med)");
        for (int c = 0; c < names.size(); c++) {
            Arrays.sort(cpuPer1000[c]);
            System.out.printf("%-44s %18.4f %18.4f%n", names.get(c), cpuPer1000[c][0], cpuPer1000[c][rounds / 2]);
        }
    }

    /** One record's columns as ingest builds them from the benchmark's JSON: integers as Long, the rest as text. */
    private static Map<String, Object> columns(Shape shape) {
        List<String> names = shape.columns();
        Object[] f = new Workload(42, 4, shape).fields(42, 1_700_000_000_000L);
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), f[i] instanceof Long ? f[i] : (Object) (f[i] instanceof Shape.Stamp s ? s.json() : f[i].toString()));
        }
        return out;
    }

    private static long run(IntSupplier f, long nanos) {
        long end = System.nanoTime() + nanos;
        long n = 0, acc = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 1000; i++) acc += f.getAsInt();
            n += 1000;
        }
        sink += acc;
        return n;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
