package io.kwsync.emulator.maxcompute;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timings one emulator enforces. {@link #REAL} holds MaxCompute's published values; tests lower a limit
 * to reach it quickly, or switch on a check that the service only recommends.
 *
 * @param maxBlocksPerSession  block ids an upload session takes: {@code 0 .. maxBlocksPerSession - 1}; a block id outside
 *                             is refused with 400 {@code InvalidBlockID} (Tunnel: at most 20,000 blocks per session,
 *                             block ids in [0, 20000))
 * @param maxBlockBytes        bytes one block upload may carry on the wire; more is refused with 400
 *                             {@code MaxMessageLengthExceeded} (Tunnel: 100 GB per block)
 * @param maxFieldSize         the {@code MaxFieldSize} sessions announce; the SDK refuses a longer STRING or BINARY value
 *                             before sending (8 MB)
 * @param sessionLifetime      how long an upload or upsert session lives after its creation; later requests on it are
 *                             refused with 409 {@code StatusConflict} "session is expired" (Tunnel: 24 hours)
 * @param minSessionInterval   the shortest time between two session creations for the same table partition that
 *                             MaxCompute recommends (at least 5 minutes); always recorded in the counters
 * @param enforceSessionInterval whether a creation sooner than {@code minSessionInterval} after the previous one is
 *                             refused (400 {@code SessionCreationTooFrequent}, an emulator-only code: the service
 *                             recommends the pacing but does not refuse)
 * @param commitDelay          how long a committed session reports status "committing" before "closed"/"committed"
 *                             and its rows become visible (zero: at once)
 * @param committingPolls      how many status requests (reloads or repeated commits) a committed session answers
 *                             "committing" before it completes; both this and {@code commitDelay} must be used up
 */
public record EmulatorLimits(int maxBlocksPerSession, long maxBlockBytes, long maxFieldSize, Duration sessionLifetime,
                             Duration minSessionInterval, boolean enforceSessionInterval, Duration commitDelay,
                             int committingPolls) {

    /** MaxCompute's published values; pacing recorded but not enforced; commits complete at once. */
    public static final EmulatorLimits REAL = new EmulatorLimits(20_000, 100L * 1024 * 1024 * 1024, 8L * 1024 * 1024,
            Duration.ofHours(24), Duration.ofMinutes(5), false, Duration.ZERO, 0);

    public EmulatorLimits {
        Objects.requireNonNull(sessionLifetime, "sessionLifetime");
        Objects.requireNonNull(minSessionInterval, "minSessionInterval");
        Objects.requireNonNull(commitDelay, "commitDelay");
        if (maxBlocksPerSession < 1) throw new IllegalArgumentException("maxBlocksPerSession must be at least 1");
        if (maxBlockBytes < 1 || maxFieldSize < 1) throw new IllegalArgumentException("sizes must be positive");
        if (sessionLifetime.isNegative() || sessionLifetime.isZero()) throw new IllegalArgumentException("sessionLifetime must be positive");
        if (minSessionInterval.isNegative() || commitDelay.isNegative() || committingPolls < 0) {
            throw new IllegalArgumentException("intervals, delays and poll counts cannot be negative");
        }
    }

    public EmulatorLimits withMaxBlocksPerSession(int n) {
        return new EmulatorLimits(n, maxBlockBytes, maxFieldSize, sessionLifetime, minSessionInterval, enforceSessionInterval,
                commitDelay, committingPolls);
    }

    public EmulatorLimits withMaxBlockBytes(long bytes) {
        return new EmulatorLimits(maxBlocksPerSession, bytes, maxFieldSize, sessionLifetime, minSessionInterval,
                enforceSessionInterval, commitDelay, committingPolls);
    }

    public EmulatorLimits withSessionLifetime(Duration d) {
        return new EmulatorLimits(maxBlocksPerSession, maxBlockBytes, maxFieldSize, d, minSessionInterval, enforceSessionInterval,
                commitDelay, committingPolls);
    }

    /** Refuses session creations for a partition sooner than {@code d} after the previous one. */
    public EmulatorLimits withEnforcedSessionInterval(Duration d) {
        return new EmulatorLimits(maxBlocksPerSession, maxBlockBytes, maxFieldSize, sessionLifetime, d, true, commitDelay,
                committingPolls);
    }

    /** Committed sessions say "committing" for {@code delay} of the emulator's clock and {@code polls} status requests. */
    public EmulatorLimits withCommitting(Duration delay, int polls) {
        return new EmulatorLimits(maxBlocksPerSession, maxBlockBytes, maxFieldSize, sessionLifetime, minSessionInterval,
                enforceSessionInterval, delay, polls);
    }
}
