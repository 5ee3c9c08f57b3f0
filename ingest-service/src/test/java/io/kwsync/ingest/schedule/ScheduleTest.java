package io.kwsync.ingest.schedule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleTest {

    /** DataWorks' cycle table (minute / hour / day / week / month) and what comes next. */
    @ParameterizedTest(name = "{0} {1} {2} {3} {4}: after {5} comes {6}")
    @CsvSource(delimiter = '|', textBlock = """
            MINUTE | 00:00 | 5 | 23:59 |        | 2022-11-22T10:00    | 2022-11-22T10:05
            MINUTE | 00:00 | 5 | 23:59 |        | 2022-11-22T10:02:30 | 2022-11-22T10:05
            MINUTE | 00:00 | 5 | 23:59 |        | 2022-11-22T23:55    | 2022-11-23T00:00
            MINUTE | 08:00 | 30| 18:00 |        | 2022-11-22T18:00    | 2022-11-23T08:00
            HOUR   | 00:15 | 1 | 23:59 |        | 2022-11-22T10:05    | 2022-11-22T10:15
            HOUR   | 00:15 | 1 | 23:59 |        | 2022-11-22T10:15    | 2022-11-22T11:15
            HOUR   | 00:15 | 1 | 23:59 |        | 2022-11-22T23:15    | 2022-11-23T00:15
            HOUR   | 00:15 | 2 | 23:59 |        | 2022-11-22T10:15    | 2022-11-22T12:15
            HOUR   | 00:15 | 3 | 23:59 |        | 2022-11-22T22:00    | 2022-11-23T00:15
            DAY    | 00:15 | 1 | 23:59 |        | 2022-11-22T00:15    | 2022-11-23T00:15
            DAY    | 00:15 | 1 | 23:59 |        | 2022-11-22T00:14:59 | 2022-11-22T00:15
            DAY    | 00:15 | 1 | 23:59 |        | 2022-12-31T23:00    | 2023-01-01T00:15
            WEEK   | 00:15 | 1 | 23:59 | MONDAY | 2022-11-22T00:05    | 2022-11-28T00:15
            WEEK   | 00:15 | 1 | 23:59 | mon,fri| 2022-11-22T00:05    | 2022-11-25T00:15
            MONTH  | 00:15 | 1 | 23:59 | 1      | 2022-11-22T00:05    | 2022-12-01T00:15
            MONTH  | 00:15 | 1 | 23:59 | 1      | 2022-12-01T00:15    | 2023-01-01T00:15
            MONTH  | 00:15 | 1 | 23:59 | 31     | 2022-10-31T00:15    | 2022-12-31T00:15
            MONTH  | 00:15 | 1 | 23:59 | L      | 2022-11-22T00:05    | 2022-11-30T00:15
            MONTH  | 00:15 | 1 | 23:59 | L      | 2024-02-01T00:05    | 2024-02-29T00:15
            MONTH  | 00:15 | 1 | 23:59 | L      | 2023-02-01T00:05    | 2023-02-28T00:15
            MONTH  | 00:15 | 1 | 23:59 | 29     | 2023-01-29T00:15    | 2023-03-29T00:15
            """)
    void slotsFollowTheCycle(Schedule.Cycle cycle, String start, int interval, String end, String days, String after, String next) {
        Schedule s = Schedule.of(cycle, start, interval, end, days);
        assertEquals(LocalDateTime.parse(next), s.nextAfter(LocalDateTime.parse(after)));
    }

    @Test
    void slotsPerDay() {
        assertEquals(288, Schedule.of(Schedule.Cycle.MINUTE, "00:00", 5, "23:59", null).timesOfDay().size());
        assertEquals(24, Schedule.of(Schedule.Cycle.HOUR, "00:15", 1, "23:59", null).timesOfDay().size());
        assertEquals(LocalTime.of(23, 15), Schedule.of(Schedule.Cycle.HOUR, "00:15", 1, "23:59", null).timesOfDay().get(23));
        assertEquals(1, Schedule.of(Schedule.Cycle.DAY, "00:15", 1, "23:59", null).timesOfDay().size());
    }

    @Test
    void aLeapDayScheduleFindsTheNextLeapYear() {
        Schedule s = Schedule.of(Schedule.Cycle.MONTH, "00:15", 1, "23:59", "29");
        assertEquals(LocalDateTime.parse("2024-02-29T00:15"),
                s.nextAfter(LocalDateTime.parse("2024-01-29T00:15")));
        Schedule feb29 = new Schedule(Schedule.Cycle.MONTH, LocalTime.of(0, 15), 1, LocalTime.of(23, 59), java.util.Set.of(),
                java.util.Set.of(29), false);
        assertEquals(LocalDateTime.parse("2023-03-29T00:15"), feb29.nextAfter(LocalDateTime.parse("2023-02-01T00:00")));
    }

    @Test
    void latestSlotAtOrBefore() {
        Schedule hourly = Schedule.of(Schedule.Cycle.HOUR, "00:15", 1, "23:59", null);
        assertEquals(Optional.of(LocalDateTime.parse("2022-11-22T10:15")), hourly.latestAtOrBefore(LocalDateTime.parse("2022-11-22T10:15")));
        assertEquals(Optional.of(LocalDateTime.parse("2022-11-22T09:15")), hourly.latestAtOrBefore(LocalDateTime.parse("2022-11-22T10:14:59")));
        assertEquals(Optional.of(LocalDateTime.parse("2022-11-21T23:15")), hourly.latestAtOrBefore(LocalDateTime.parse("2022-11-22T00:10")));
        Schedule weekly = Schedule.of(Schedule.Cycle.WEEK, "00:15", 1, "23:59", "MONDAY");
        assertEquals(Optional.of(LocalDateTime.parse("2022-11-21T00:15")), weekly.latestAtOrBefore(LocalDateTime.parse("2022-11-27T12:00")));
    }

    @Test
    void wrongCombinationsAreRefused() {
        assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.MINUTE, "00:00", 0, "23:59", null));
        assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.HOUR, "00:15", 24, "23:59", null));
        assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.HOUR, "10:00", 1, "09:00", null));
        assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.WEEK, "00:15", 1, "23:59", ""));
        assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.WEEK, "00:15", 1, "23:59", "someday"));
        assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.MONTH, "00:15", 1, "23:59", "32"));
        assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.MONTH, "00:15", 1, "23:59", "x"));
        assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.DAY, "25:00", 1, "23:59", null));
        ExpressionException e = assertThrows(ExpressionException.class, () -> Schedule.of(Schedule.Cycle.MONTH, "00:15", 1, "23:59", null));
        assertTrue(e.getMessage().contains("day of the month"), e.getMessage());
    }

    @Test
    void descriptions() {
        assertEquals("every 1 hours from 00:15 to 23:59", Schedule.of(Schedule.Cycle.HOUR, "0:15", 1, "23:59", null).toString());
        assertEquals("weekly on [monday] at 00:15", Schedule.of(Schedule.Cycle.WEEK, "00:15", 1, "23:59", "Monday").toString());
    }
}
