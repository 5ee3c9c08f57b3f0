package io.kwsync.ingest.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowTimeTest {

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', textBlock = """
            20221122090000 | GMT+08:00     | 2022-11-22T01:00:00Z
            20221122090000 | UTC           | 2022-11-22T09:00:00Z
            20221122000000 | Asia/Shanghai | 2022-11-21T16:00:00Z
            20240229235959 | GMT+08:00     | 2024-02-29T15:59:59Z
            20220327013000 | Europe/Berlin | 2022-03-27T00:30:00Z
            20220327020000 | Europe/Berlin | 2022-03-27T01:00:00Z
            20220327023000 | Europe/Berlin | 2022-03-27T01:00:00Z
            20220327030000 | Europe/Berlin | 2022-03-27T01:00:00Z
            20221030020000 | Europe/Berlin | 2022-10-30T00:00:00Z
            20221030023000 | Europe/Berlin | 2022-10-30T00:30:00Z
            20221030030000 | Europe/Berlin | 2022-10-30T02:00:00Z
            """)
    void localTimesBecomeInstantsWithGapsAtTheirEndAndRepeatsAtTheirFirstOccurrence(String text, String zone, String instant) {
        assertEquals(Instant.parse(instant), WindowTime.parse(text, ZoneId.of(zone)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2022112209000", "202211220900000", "2022-11-22 09:00", "20221322090000", "20220230090000",
            "20221122250000", "20221122096000", "abcdefghijklmn"})
    void anythingButAValidYyyymmddhhmmssIsRefused(String text) {
        ExpressionException e = assertThrows(ExpressionException.class, () -> WindowTime.parse(text, ZoneId.of("UTC")));
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void formatIsTheInverseOutsideGaps() {
        ZoneId zone = ZoneId.of("GMT+08:00");
        assertEquals("20221122090000", WindowTime.format(Instant.parse("2022-11-22T01:00:00Z"), zone));
    }

    /**
     * An hourly job through a whole day, in a zone without daylight saving and on both change days of a zone with it:
     * consecutive windows meet exactly, so every instant of the day is in exactly one window.
     */
    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({"GMT+08:00,2022-11-22,24", "Europe/Berlin,2022-03-27,23", "Europe/Berlin,2022-10-30,25",
            "America/New_York,2022-03-13,23", "America/New_York,2022-11-06,25"})
    void hourlyWindowsTileTheDayAcrossDaylightSavingChanges(String zoneId, String day, int hours) {
        ZoneId zone = ZoneId.of(zoneId);
        ParameterDefinitions defs = ParameterDefinitions.parse(
                "startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24]");
        Schedule hourly = Schedule.of(Schedule.Cycle.HOUR, "00:15", 1, "23:59", null);
        LocalDateTime slot = hourly.nextAfter(LocalDateTime.parse(day + "T00:00"));
        Instant coveredFrom = null;
        Instant previousEnd = null;
        Duration covered = Duration.ZERO;
        java.util.Set<String> partitions = new java.util.HashSet<>();
        for (int i = 0; i < 24; i++, slot = hourly.nextAfter(slot)) {
            var values = defs.evaluate(slot);
            Instant start = WindowTime.parse(values.get("startTime"), zone);
            Instant end = WindowTime.parse(values.get("endTime"), zone);
            assertTrue(!end.isBefore(start), "window of " + slot + " is not inverted");
            if (previousEnd != null) assertEquals(previousEnd, start, "window of " + slot + " starts where the previous ended");
            if (coveredFrom == null) coveredFrom = start;
            covered = covered.plus(Duration.between(start, end));
            previousEnd = end;
            assertTrue(partitions.add(values.get("partition")), "one partition per slot: " + values.get("partition"));
        }
        assertEquals(Duration.ofHours(hours), covered, "the day's windows cover its real length");
        assertEquals(WindowTime.parse(day.replace("-", "") + "000000", zone).minus(Duration.ofHours(1)), coveredFrom);
    }
}
