package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * Column values for the dates, times and numbers that binary formats encode as plain integers and bytes. The row
 * event has no date or time type, so these become ISO-8601 text, which the sinks read into DATE, TIME, DATETIME and
 * TIMESTAMP columns (and a text column keeps readable): dates {@code 2024-01-31}, times {@code 10:15:30[.fraction]},
 * instants {@code 2024-01-31T10:15:30[.fraction]Z} (UTC), local date-times without the Z. Seconds are always written,
 * a fraction only when not zero, in groups of three digits (milli, micro or nano), as ISO-8601 printers do. Numbers become
 * {@link BigDecimal}, as JSON fractions do: a float or double as the shortest decimal that reads back as the same
 * binary value ({@code 1.1f} is 1.1), NaN and infinities as {@link Double}.
 */
public final class LogicalValues {

    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().appendPattern("HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter(Locale.ROOT);
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder().append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T').append(TIME).toFormatter(Locale.ROOT);

    private LogicalValues() {
    }

    public static String date(long epochDays) {
        try {
            return LocalDate.ofEpochDay(epochDays).toString();
        } catch (DateTimeException e) {
            throw outOfRange("date", epochDays);
        }
    }

    /** A time of day from a count of {@code unitNanos}-long units since midnight. */
    public static String time(long units, long unitNanos) {
        if (units < 0 || units >= 86_400_000_000_000L / unitNanos) throw outOfRange("time of day", units);
        StringBuilder sb = new StringBuilder(18);
        appendTime(sb, units * unitNanos);
        return sb.toString();
    }

    /** An instant (UTC, with Z) from a count of units since the epoch; {@code perSecond} is 1000, 10^6 or 10^9. */
    public static String instant(long units, long perSecond) {
        return local(units, perSecond) + "Z";
    }

    /** A date-time without zone from a count of units since 1970-01-01T00:00. */
    public static String local(long units, long perSecond) {
        long seconds = Math.floorDiv(units, perSecond);
        long nanos = Math.floorMod(units, perSecond) * (1_000_000_000L / perSecond);
        return local(seconds, nanos, "");
    }

    /** An instant from Protobuf's Timestamp fields. */
    public static String instant(long seconds, int nanos) {
        if (nanos < 0 || nanos > 999_999_999) throw outOfRange("timestamp nanos", nanos);
        return local(seconds, nanos, "Z");
    }

    // Formatted by hand: DateTimeFormatter took longer than decoding the rest of a record.
    private static String local(long seconds, long nanos, String zone) {
        long days = Math.floorDiv(seconds, 86_400);
        LocalDate date;
        try {
            date = LocalDate.ofEpochDay(days);
        } catch (DateTimeException e) {
            throw outOfRange("timestamp", seconds);
        }
        int year = date.getYear();
        if (year < 0 || year > 9999) return LOCAL.format(LocalDateTime.ofEpochSecond(seconds, (int) nanos, ZoneOffset.UTC)) + zone;
        StringBuilder sb = new StringBuilder(30);
        pad(sb, year, 4).append('-');
        pad(sb, date.getMonthValue(), 2).append('-');
        pad(sb, date.getDayOfMonth(), 2).append('T');
        appendTime(sb, Math.floorMod(seconds, 86_400) * 1_000_000_000L + nanos);
        return sb.append(zone).toString();
    }

    /** HH:mm:ss, then a fraction of 3, 6 or 9 digits when not zero (as ISO_LOCAL_TIME prints it). */
    private static void appendTime(StringBuilder sb, long nanoOfDay) {
        long secondOfDay = nanoOfDay / 1_000_000_000L;
        int nano = (int) (nanoOfDay % 1_000_000_000L);
        pad(sb, (int) (secondOfDay / 3600), 2).append(':');
        pad(sb, (int) (secondOfDay / 60 % 60), 2).append(':');
        pad(sb, (int) (secondOfDay % 60), 2);
        if (nano == 0) return;
        sb.append('.');
        if (nano % 1_000_000 == 0) pad(sb, nano / 1_000_000, 3);
        else if (nano % 1_000 == 0) pad(sb, nano / 1_000, 6);
        else pad(sb, nano, 9);
    }

    private static StringBuilder pad(StringBuilder sb, int v, int width) {
        String digits = Integer.toString(v);
        for (int i = digits.length(); i < width; i++) sb.append('0');
        return sb.append(digits);
    }

    /** A decimal from its two's-complement big-endian unscaled value. */
    public static BigDecimal decimal(byte[] unscaled, int scale) {
        if (unscaled.length == 0) throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "decimal with no bytes");
        return new BigDecimal(new BigInteger(unscaled), scale);
    }

    public static Object decimalOf(double d) {
        if (!Double.isFinite(d)) return d;
        double abs = Math.abs(d);
        if (abs >= 1e-3 && abs < 1e7) {
            // Double.toString writes these without an exponent and with at least one fraction digit; the fewest
            // fraction digits that read back as d give the same decimal at a fraction of the cost (prices, ratios)
            for (int k = 1; k <= 8; k++) {
                double scaled = d * POW10[k];
                long digits = Math.round(scaled);
                if ((double) digits / POW10[k] == d) return BigDecimal.valueOf(digits, k);
            }
        }
        return new BigDecimal(Double.toString(d));
    }

    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

    public static Object decimalOf(float f) {
        return Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : (Object) (double) f;
    }

    /** An unsigned 64-bit integer: a Long while it fits, a BigDecimal above. */
    public static Object unsigned(long v) {
        return v >= 0 ? (Object) v : new BigDecimal(new BigInteger(Long.toUnsignedString(v)));
    }

    private static DirtyRecordException outOfRange(String what, long v) {
        return new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " " + v + " is out of range");
    }

}
