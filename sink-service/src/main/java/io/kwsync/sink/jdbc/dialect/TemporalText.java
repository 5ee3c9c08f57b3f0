package io.kwsync.sink.jdbc.dialect;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * Dates and times as text the databases read back exactly: 2022-11-22, 10:34:00.25, 2022-11-22 10:34:00.25 (seconds
 * always, a fraction only when there is one). Used where values go as text: bound parameters of a dialect that binds
 * temporal values as text, and bulk-load input.
 */
public final class TemporalText {

    private static final DateTimeFormatter TIME_TEXT = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME_TEXT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(TIME_TEXT).toFormatter(Locale.ROOT);

    private TemporalText() {
    }

    /** A LocalDate, LocalTime or LocalDateTime as text. */
    public static String of(Object v) {
        if (v instanceof LocalDateTime t) return DATE_TIME_TEXT.format(t);
        if (v instanceof LocalTime t) return TIME_TEXT.format(t);
        return v.toString(); // LocalDate; MySQL has no type with a zone, so no OffsetDateTime reaches here
    }
}
