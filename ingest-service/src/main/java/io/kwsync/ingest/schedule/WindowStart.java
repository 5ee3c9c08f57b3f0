package io.kwsync.ingest.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Whether a run of a time window may start now, and if not, from when. Pure.
 *
 * <p>A run that starts before its window has ended waits for the end (the records of the window are not all in Kafka
 * before it), and that wait counts against the run's time limit. A window ending further in the future than the limit
 * can therefore only time out, holding the run queue for the whole limit and failing again on every rerun. Such a run
 * must not start before its window's end: the decision gives that instant, and the reason to show when the run is
 * refused instead. A window that ends within the limit, or has ended, or is bounded by offsets, starts now.
 *
 * @param notBefore the earliest instant the run may start, null when it may start now
 * @param reason    why it may not start now, null when it may
 */
public record WindowStart(Instant notBefore, String reason) {

    /** The decision for a run that may start at once. */
    public static final WindowStart NOW = new WindowStart(null, null);

    /**
     * @param windowEnd the window's end instant, null when the window ends at an offset
     * @param timeout   the longest a run may take
     */
    public static WindowStart decide(Instant windowEnd, Instant now, Duration timeout) {
        if (windowEnd == null || !windowEnd.isAfter(now.plus(timeout))) return NOW;
        return new WindowStart(windowEnd, "the window ends at " + windowEnd + ", " + readable(Duration.between(now, windowEnd))
                + " from now, later than a run may last (" + readable(timeout) + "); it can run once the window has ended");
    }

    /** True when the run may start now. */
    public boolean immediately() {
        return notBefore == null;
    }

    /** 7h50m rather than PT7H50M. */
    private static String readable(Duration d) {
        return d.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
