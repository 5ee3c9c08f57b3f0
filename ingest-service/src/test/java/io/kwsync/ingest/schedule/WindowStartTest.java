package io.kwsync.ingest.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowStartTest {

    private static final Instant NOW = Instant.parse("2022-11-22T02:00:00Z");
    private static final Duration HOUR = Duration.ofHours(1);

    @ParameterizedTest(name = "window ending {0}: now")
    @CsvSource({"2022-11-22T01:00:00Z", "2022-11-22T02:00:00Z", "2022-11-22T02:30:00Z", "2022-11-22T03:00:00Z"})
    void aWindowThatHasEndedOrEndsWithinTheTimeoutStartsNow(String end) {
        WindowStart d = WindowStart.decide(Instant.parse(end), NOW, HOUR);
        assertTrue(d.immediately());
        assertNull(d.reason());
    }

    @Test
    void aWindowBoundedByAnOffsetStartsNow() {
        assertSame(WindowStart.NOW, WindowStart.decide(null, NOW, HOUR));
    }

    @Test
    void aWindowEndingLaterThanTheTimeoutWaitsForItsEnd() {
        Instant end = Instant.parse("2022-11-22T03:00:01Z");
        WindowStart d = WindowStart.decide(end, NOW, HOUR);
        assertFalse(d.immediately());
        assertEquals(end, d.notBefore());
        assertTrue(d.reason().contains("1h1s from now") && d.reason().contains("(1h)"), d.reason());
    }

    /** A day's window requested over HTTP at 10:05 (GMT+8) ends at midnight: it may start then, not block the queue now. */
    @Test
    void tomorrowsMidnightIsWhenTodaysDailyWindowCanRun() {
        ZoneId zone = ZoneId.of("GMT+08:00");
        Instant requested = WindowTime.parse("20221122100500", zone);
        Instant end = WindowTime.parse("20221123000000", zone);
        WindowStart d = WindowStart.decide(end, requested, HOUR);
        assertEquals(Instant.parse("2022-11-22T16:00:00Z"), d.notBefore());
        assertTrue(d.reason().contains("13h55m from now"), d.reason());
        assertTrue(WindowStart.decide(end, d.notBefore(), HOUR).immediately(), "at its end the window runs");
    }
}
