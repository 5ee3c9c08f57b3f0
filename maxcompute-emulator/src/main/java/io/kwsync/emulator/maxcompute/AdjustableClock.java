package io.kwsync.emulator.maxcompute;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that tests move by hand: it stands still until {@link #advance} or {@link #set}. Give it to
 * {@link MaxComputeEmulator.Builder#clock} to expire sessions or end a "committing" period without waiting.
 * Thread-safe.
 */
public final class AdjustableClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    public AdjustableClock(Instant start) {
        this(new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private AdjustableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Starts at the current system time. */
    public static AdjustableClock startingNow() {
        return new AdjustableClock(Instant.now());
    }

    public AdjustableClock advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
        return this;
    }

    public AdjustableClock set(Instant t) {
        now.set(t);
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new AdjustableClock(now, zone);
    }
}
