package io.kwsync.sink.jdbc.dialect;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TemporalTextTest {

    /** The text the hand-written path must match: what the formatter wrote before it. */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(TIME).toFormatter(Locale.ROOT);

    @Test
    void writesSecondsAlwaysAndAFractionOnlyWhenThereIsOne() {
        assertEquals("2022-11-22 10:34:00", TemporalText.of(LocalDateTime.of(2022, 11, 22, 10, 34)));
        assertEquals("2022-11-22 10:34:00.25", TemporalText.of(LocalDateTime.of(2022, 11, 22, 10, 34, 0, 250_000_000)));
        assertEquals("0000-01-01 00:00:00.000000001", TemporalText.of(LocalDateTime.of(0, 1, 1, 0, 0, 0, 1)));
        assertEquals("9999-12-31 23:59:59.999999999", TemporalText.of(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_999)));
        assertEquals("-0001-01-01 00:00:00", TemporalText.of(LocalDateTime.of(-1, 1, 1, 0, 0)));
        assertEquals("+10000-01-01 00:00:00.5", TemporalText.of(LocalDateTime.of(10_000, 1, 1, 0, 0, 0, 500_000_000)));
        assertEquals("10:34:00.123", TemporalText.of(LocalTime.of(10, 34, 0, 123_000_000)));
        assertEquals("00:00:00", TemporalText.of(LocalTime.MIDNIGHT));
        assertEquals("2022-11-22", TemporalText.of(LocalDate.of(2022, 11, 22)));
    }

    @Test
    void matchesTheFormatterOnRandomValues() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> r.nextInt(1000) * 1_000_000;
                case 2 -> r.nextInt(1_000_000) * 1000;
                default -> r.nextInt(1_000_000_000);
            };
            LocalDateTime t = LocalDateTime.of(r.nextInt(-200, 12_000), 1 + r.nextInt(12), 1 + r.nextInt(28),
                    r.nextInt(24), r.nextInt(60), r.nextInt(60), nano);
            assertEquals(DATE_TIME.format(t), TemporalText.of(t));
            assertEquals(TIME.format(t.toLocalTime()), TemporalText.of(t.toLocalTime()));
        }
    }
}
