package io.kwsync.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The measuring loop the single-thread micro-benchmarks share ({@link CodecBench}, {@link DecodeBench}): every case is
 * warmed up, then run for a fixed time in each of several rounds that interleave the cases, so a burst of load elsewhere
 * on a shared machine hits all of them alike. The figures are per record: wall nanoseconds and this thread's CPU time.
 */
final class MicroBench {

    private static volatile long sink;

    private MicroBench() {
    }

    /** {@code --name=value} arguments (a bare {@code --name} is "true"). */
    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.replaceFirst("^--", "").split("=", 2);
            opts.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        return opts;
    }

    /**
     * One measured operation: each call handles {@code recordsPerCall} records and returns something derived from its
     * result, which is kept so the JIT cannot drop the work.
     */
    record Case(String name, IntSupplier op, int recordsPerCall) {
    }

    /** Per case, in the order given, each round's figures sorted ascending: [0] is the minimum. */
    record Figures(double[] nsPerRecord, double[] cpuMsPer1000) {
        double min(double[] f) {
            return f[0];
        }

        double median(double[] f) {
            return f[f.length / 2];
        }
    }

    /** Reads the rounds, warmup and seconds options (defaults 7, 3 and 2) and measures each case. */
    static List<Figures> measure(List<Case> cases, Map<String, String> opts) {
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "2"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "7"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[][] ns = new double[cases.size()][rounds];
        double[][] cpu = new double[cases.size()][rounds];
        for (Case c : cases) run(c, warmup * 1_000_000_000L);
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < cases.size(); i++) {
                long cpu0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                long n = run(cases.get(i), seconds * 1_000_000_000L);
                ns[i][r] = (double) (System.nanoTime() - t0) / n;
                cpu[i][r] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / (n / 1000.0);
            }
        }
        System.out.printf("%d rounds of %d s per case; load average %s%n", rounds, seconds, loadAverage());
        return java.util.stream.IntStream.range(0, cases.size()).mapToObj(i -> {
            Arrays.sort(ns[i]);
            Arrays.sort(cpu[i]);
            return new Figures(ns[i], cpu[i]);
        }).toList();
    }

    /** Runs a case for about {@code nanos}; returns the records handled. */
    private static long run(Case c, long nanos) {
        long end = System.nanoTime() + nanos;
        long n = 0, acc = 0;
        int calls = Math.max(1, 1000 / c.recordsPerCall());
        while (System.nanoTime() < end) {
            for (int i = 0; i < calls; i++) acc += c.op().getAsInt();
            n += (long) calls * c.recordsPerCall();
        }
        sink += acc;
        return n;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
