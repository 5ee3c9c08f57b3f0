package io.kwsync.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A service's CPU time over a window, and how much of it went to the JIT compiler's threads and the garbage
 * collector's (from /proc/PID/task); the rest is the service's own work (polls, mapping, sends, writes). In a run of a few million records the
 * JIT is still compiling long after the first records: its share says how far the run is from what a service that has
 * finished compiling pays per record.
 * <p>
 * Sampled while the run goes ({@link #sample()}, at most every half second) so that a compiler thread the JVM starts
 * and stops again in between is still counted; CPU of a thread that ends between two samples is counted as work.
 */
final class ThreadCpu {

    private static final long INTERVAL_NANOS = 500_000_000L;

    private final Service service;
    /** Thread id to the CPU milliseconds it had at the last sample. */
    private final Map<String, Long> seen = new HashMap<>();
    private long jit;
    private long gc;
    private long processAtStart = -1;
    private long processAtEnd;
    private long sampledAt;

    ThreadCpu(Service service) {
        this.service = service;
    }

    /** Starts the window: from now on, threads' CPU counts. */
    void start() {
        processAtStart = service.cpuMillis();
        read(false);
        sampledAt = System.nanoTime();
    }

    /** Counts the compiler's and the collector's CPU since the last sample, unless one was taken less than 0.5 s ago. */
    void sample() {
        if (processAtStart < 0 || System.nanoTime() - sampledAt < INTERVAL_NANOS) return;
        read(true);
        sampledAt = System.nanoTime();
    }

    /** Ends the window. */
    void stop() {
        read(true);
        processAtEnd = service.cpuMillis();
    }

    /** The process's CPU in the window, all threads, per 1,000 of {@code n} records (milliseconds). */
    double totalPerThousand(long n) {
        return (processAtEnd - processAtStart) * 1000.0 / n;
    }

    /** The JIT compiler's threads' share of it. */
    double jitPerThousand(long n) {
        return jit * 1000.0 / n;
    }

    /** The garbage collector's threads' share of it. */
    double gcPerThousand(long n) {
        return gc * 1000.0 / n;
    }

    private void read(boolean count) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + service.pid() + "/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    continue; // the thread ended while we looked
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long millis = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
                Long before = seen.put(task.getFileName().toString(), millis);
                if (!count) continue;
                long delta = millis - (before == null ? 0 : before);
                if (isCompiler(name)) jit += delta;
                else if (isCollector(name)) gc += delta;
            }
        } catch (IOException e) {
            // the process ended: what was counted stays
        }
    }

    /** HotSpot's compiler threads: "C1 CompilerThread0", "C2 CompilerThread1" (15 characters in /proc). */
    static boolean isCompiler(String name) {
        return name.contains("CompilerThre");
    }

    /**
     * HotSpot's collector threads: G1's and Parallel's workers ("GC Thread#0", "G1 Conc#0", "G1 Refine#0", ...), and the
     * VM thread, which runs the serial collector's pauses (and the few other safepoint operations).
     */
    static boolean isCollector(String name) {
        return name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread");
    }
}
