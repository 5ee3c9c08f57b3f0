package io.kwsync.ingest.job;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The Clock of ingest-service in tests: stands still at 2022-11-22 10:14 (GMT+8) until a test moves it, so schedules
 * are tested by moving time, not by waiting for it. It replaces the production clock (a default bean).
 */
@Singleton
public class TestClock extends Clock {

    public static final Instant START = Instant.parse("2022-11-22T02:14:00Z");
    private static volatile Instant now = START;

    public static void set(Instant instant) {
        now = instant;
    }

    public static void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
