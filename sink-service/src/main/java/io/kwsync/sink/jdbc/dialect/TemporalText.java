package io.kwsync.sink.jdbc.dialect;

import java.nio.charset.StandardCharsets;
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
        if (v instanceof LocalDateTime t) {
            // written by hand for years 0-9999 (the formatter costs more than the rest of a row); the same text
            if (t.getYear() < 0 || t.getYear() > 9999) return DATE_TIME_TEXT.format(t);
            byte[] b = new byte[29];
            digits(b, 0, t.getYear(), 4);
            b[4] = '-';
            digits(b, 5, t.getMonthValue(), 2);
            b[7] = '-';
            digits(b, 8, t.getDayOfMonth(), 2);
            b[10] = ' ';
            return new String(b, 0, time(b, 11, t.getHour(), t.getMinute(), t.getSecond(), t.getNano()), StandardCharsets.ISO_8859_1);
        }
        if (v instanceof LocalTime t) {
            byte[] b = new byte[18];
            return new String(b, 0, time(b, 0, t.getHour(), t.getMinute(), t.getSecond(), t.getNano()), StandardCharsets.ISO_8859_1);
        }
        return v.toString(); // LocalDate; MySQL has no type with a zone, so no OffsetDateTime reaches here
    }

    /** HH:mm:ss, then the fraction without its trailing zeros when there is one; returns the end. */
    private static int time(byte[] b, int at, int hour, int minute, int second, int nano) {
        digits(b, at, hour, 2);
        b[at + 2] = ':';
        digits(b, at + 3, minute, 2);
        b[at + 5] = ':';
        digits(b, at + 6, second, 2);
        int end = at + 8;
        if (nano == 0) return end;
        b[end++] = '.';
        digits(b, end, nano, 9);
        end += 9;
        while (b[end - 1] == '0') end--;
        return end;
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
