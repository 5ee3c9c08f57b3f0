package io.kwsync.ingest.writer;

import java.util.function.LongSupplier;

/**
 * The throughput limit of a run (speed.mbps): after each record it waits until the bytes sent so far fit the time
 * elapsed since the run's first record at the limit's rate, so over any stretch of the run the rate stays at the
 * limit, plus a burst of a tenth of a second's worth at its start. Waits in slices, checking between them whether
 * the run must stop. A limit of 0 lets everything through.
 */
final class Throttle {

    /** Sleeps; tests count instead. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private static final long SLICE_NANOS = 200_000_000L;

    private final long bytesPerSecond;
    private final long burst;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long start = -1;
    private long sent;

    /**
     * @param bytesPerSecond the limit; 0 for none
     * @param nanoTime       a monotonic clock (System::nanoTime)
     */
    Throttle(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this.bytesPerSecond = bytesPerSecond;
        this.burst = bytesPerSecond / 10;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    static Throttle of(long bytesPerSecond) {
        return new Throttle(bytesPerSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /**
     * Counts {@code bytes} sent and waits as long as the limit asks.
     *
     * @param check called before each slice of waiting; throws to end the wait (the run must stop)
     */
    void sent(long bytes, Runnable check) {
        if (bytesPerSecond <= 0) return;
        long now = nanoTime.getAsLong();
        if (start < 0) start = now;
        sent += bytes;
        long due = start + (long) ((double) Math.max(0, sent - burst) * 1_000_000_000L / bytesPerSecond);
        while (due > now) {
            check.run();
            try {
                sleeper.sleep(Math.min(due - now, SLICE_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while keeping to KWSYNC_WRITER_SPEED_MBPS", e);
            }
            now = nanoTime.getAsLong();
        }
    }
}
