package io.kwsync.sink.jdbc.write;

import io.kwsync.sink.jdbc.dialect.ColumnKind;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;

/**
 * The date and time rules of {@link ColumnWriter}: ISO-8601 text ({@code 2022-11-22},
 * {@code 2022-11-22T10:00:00[.fff][Z|+08:00]}, a space for the T) or epoch milliseconds, turned into what a DATE
 * (LocalDate), TIMESTAMP (LocalDateTime) or TIMESTAMP WITH TIME ZONE (OffsetDateTime) column takes. Text without an
 * offset is wall-clock time in the configured zone; an instant is written to a column without a zone as its
 * wall-clock time in that zone.
 */
final class DateTimes {

    private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').append(DateTimeFormatter.ISO_LOCAL_TIME).optionalEnd()
            .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);
    private static final int[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000};

    private final ColumnKind kind;
    private final ZoneId zone;

    /** @param kind DATE, TIMESTAMP or TIMESTAMP_TZ */
    DateTimes(ColumnKind kind, ZoneId zone) {
        this.kind = kind;
        this.zone = zone;
    }

    /** Epoch milliseconds (Long, BigDecimal) or ISO-8601 text as the column's java.time type. */
    Object toDateTime(Object v) throws ValueRefused {
        if (v instanceof Long || v instanceof BigDecimal) {
            Instant instant;
            try {
                instant = Instant.ofEpochMilli(v instanceof Long l ? l : ((BigDecimal) v).longValueExact());
            } catch (ArithmeticException e) {
                throw new ValueRefused("not epoch milliseconds");
            }
            return atInstant(instant);
        }
        String t = ((String) v).strip();
        Object fast = parseCommonDateTime(t);
        if (fast != null) return fast;
        if (t.length() > 10 && t.charAt(10) == ' ') t = t.substring(0, 10) + 'T' + t.substring(11);
        TemporalAccessor p;
        try {
            p = DATE_TIME.parse(t);
        } catch (DateTimeParseException e) {
            throw new ValueRefused("not an ISO-8601 date or date-time (e.g. 2022-11-22T10:00:00+08:00)");
        }
        LocalDate date = p.query(TemporalQueries.localDate());
        LocalTime time = p.query(TemporalQueries.localTime());
        ZoneOffset offset = p.query(TemporalQueries.offset());
        return resolve(date, time, offset);
    }

    private Object resolve(LocalDate date, LocalTime time, ZoneOffset offset) throws ValueRefused {
        LocalDateTime local = LocalDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time);
        if (offset != null) return atInstant(local.toInstant(offset));
        return switch (kind) {
            case DATE -> date;
            case TIMESTAMP -> local;
            default -> local.atZone(zone).toOffsetDateTime();
        };
    }

    /**
     * The hot path for the usual shapes, {@code yyyy-MM-dd} and {@code yyyy-MM-dd[T ]HH:mm:ss[.f{1,9}][Z|±HH:MM]},
     * about 30 times faster than the formatter; null for anything else, which the formatter then parses or refuses.
     */
    private Object parseCommonDateTime(String t) throws ValueRefused {
        int n = t.length();
        if (n < 10 || t.charAt(4) != '-' || t.charAt(7) != '-') return null;
        int y = digits(t, 0, 4), mo = digits(t, 5, 2), d = digits(t, 8, 2);
        if (y < 0 || mo < 0 || d < 0) return null;
        LocalDate date;
        try {
            date = LocalDate.of(y, mo, d);
        } catch (DateTimeException e) {
            return null;
        }
        if (n == 10) return resolve(date, null, null);
        char sep = t.charAt(10);
        if (sep != 'T' && sep != ' ' || n < 19 || t.charAt(13) != ':' || t.charAt(16) != ':') return null;
        int h = digits(t, 11, 2), mi = digits(t, 14, 2), sec = digits(t, 17, 2);
        if (h < 0 || mi < 0 || sec < 0) return null;
        int i = 19, nano = 0;
        if (i < n && t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') i++;
            if (i == start || i - start > 9) return null;
            nano = digits(t, start, i - start) * POW10[9 - (i - start)];
        }
        ZoneOffset offset = null;
        if (i < n) {
            char z = t.charAt(i);
            if (z == 'Z' && i + 1 == n) {
                offset = ZoneOffset.UTC;
            } else if ((z == '+' || z == '-') && n - i == 6 && t.charAt(i + 3) == ':') {
                int oh = digits(t, i + 1, 2), om = digits(t, i + 4, 2);
                if (oh < 0 || om < 0 || oh > 18 || om > 59) return null;
                int sign = z == '-' ? -1 : 1;
                offset = ZoneOffset.ofHoursMinutes(sign * oh, sign * om);
            } else {
                return null;
            }
        }
        if (h > 23 || mi > 59 || sec > 59) return null;
        return resolve(date, LocalTime.of(h, mi, sec, nano), offset);
    }

    /** The value of {@code len} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int len) {
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private Object atInstant(Instant instant) throws ValueRefused {
        try {
            return switch (kind) {
                case DATE -> LocalDate.ofInstant(instant, zone);
                case TIMESTAMP -> LocalDateTime.ofInstant(instant, zone);
                default -> OffsetDateTime.ofInstant(instant, zone);
            };
        } catch (DateTimeException e) {
            throw new ValueRefused("out of range");
        }
    }

    static LocalTime toTime(String s) throws ValueRefused {
        try {
            return LocalTime.parse(s.strip(), DateTimeFormatter.ISO_LOCAL_TIME); // strict: 24:00 is refused
        } catch (DateTimeParseException e) {
            throw new ValueRefused("not an ISO-8601 time (e.g. 10:00:00)");
        }
    }
}
