package io.kwsync.sink.maxcompute;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneOffset;

/**
 * Reads the two ISO-8601 shapes date-time columns usually receive, without the general machinery of java.time's
 * formatters (which copy their parse state for every optional part and cost about a microsecond a value): a local
 * date-time {@code 2020-11-17T14:30:00.123} ('T', 't' or a space between date and time) and one with an offset,
 * {@code 2020-11-17T06:30:00Z} or {@code +08:00}. Only text that is plainly valid in those shapes is read here; for
 * anything else (other shapes, out-of-range fields) the methods return null and the caller asks the formatter, so
 * what is accepted, and how, stays the formatter's decision.
 */
final class DateTimeText {

    private DateTimeText() {
    }

    /** {@code yyyy-MM-dd[T| ]HH:mm[:ss[.f]]} with up to nine fraction digits; null when not plainly that. */
    static LocalDateTime local(String s) {
        int n = s.length();
        if (n < 16) return null;
        char sep = s.charAt(10);
        if (sep != 'T' && sep != 't' && sep != ' ') return null;
        long time = time(s, 11, n);
        return time < 0 ? null : dateTime(s, time);
    }

    /** {@code yyyy-MM-ddTHH:mm[:ss[.f]]} then {@code Z} or {@code ±HH:MM}; null when not plainly that. */
    static Instant instant(String s) {
        int n = s.length();
        if (n < 17 || s.charAt(10) != 'T') return null;
        int end;
        int offsetSeconds;
        if (s.charAt(n - 1) == 'Z') {
            end = n - 1;
            offsetSeconds = 0;
        } else {
            if (n < 22) return null;
            end = n - 6;
            char sign = s.charAt(end);
            if ((sign != '+' && sign != '-') || s.charAt(end + 3) != ':') return null;
            int h = two(s, end + 1), m = two(s, end + 4);
            if (h < 0 || m < 0 || h > 17 || m > 59) return null; // up to 17:59 here; the formatter judges the rest
            offsetSeconds = (sign == '-' ? -1 : 1) * (h * 3600 + m * 60);
        }
        long time = time(s, 11, end);
        if (time < 0) return null;
        LocalDateTime at = dateTime(s, time);
        return at == null ? null : Instant.ofEpochSecond(at.toEpochSecond(ZoneOffset.ofTotalSeconds(offsetSeconds)), at.getNano());
    }

    /** The date at 0-9 with the time packed by {@link #time}; null when a field is out of range. */
    private static LocalDateTime dateTime(String s, long time) {
        int y = two(s, 0), y2 = two(s, 2), mo = two(s, 5), d = two(s, 8);
        if (y < 0 || y2 < 0 || mo < 1 || mo > 12 || d < 1 || s.charAt(4) != '-' || s.charAt(7) != '-') return null;
        int year = y * 100 + y2;
        if (d > 28 && d > Month.of(mo).length(Year.isLeap(year))) return null;
        int nanos = (int) (time & 0x3FFF_FFFFL);
        int secondOfDay = (int) (time >>> 30);
        return LocalDateTime.of(year, mo, d, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60, nanos);
    }

    /**
     * {@code HH:mm[:ss[.f]]} from {@code from} to exactly {@code end}: the second of the day shifted left by 30 bits
     * with the nanoseconds in the low 30; -1 when not plainly that.
     */
    private static long time(String s, int from, int end) {
        int len = end - from;
        if (len < 5 || s.charAt(from + 2) != ':') return -1;
        int h = two(s, from), m = two(s, from + 3), sec = 0, nanos = 0;
        if (h < 0 || h > 23 || m < 0 || m > 59) return -1;
        if (len > 5) {
            if (len < 8 || s.charAt(from + 5) != ':') return -1;
            sec = two(s, from + 6);
            if (sec < 0 || sec > 59) return -1;
            if (len > 8) {
                int digits = len - 9;
                if (s.charAt(from + 8) != '.' || digits < 1 || digits > 9) return -1;
                for (int i = from + 9; i < end; i++) {
                    char c = s.charAt(i);
                    if (c < '0' || c > '9') return -1;
                    nanos = nanos * 10 + (c - '0');
                }
                for (int i = digits; i < 9; i++) nanos *= 10;
            }
        }
        return ((long) (h * 3600 + m * 60 + sec) << 30) | nanos;
    }

    /** Two ASCII digits at i as a number; -1 when either is not a digit. */
    private static int two(String s, int i) {
        char a = s.charAt(i), b = s.charAt(i + 1);
        if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
        return (a - '0') * 10 + (b - '0');
    }
}
