package io.kwsync.ingest.partition;

import io.kwsync.ingest.partition.PartitionField.Found;
import io.kwsync.ingest.partition.PartitionField.Read;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The instant a record's time partition is computed from: the record's own Kafka timestamp, or an event time read from
 * a field of the record ({@link PartitionField}) as epoch seconds, epoch milliseconds, ISO-8601 text or text in a
 * {@link DateTimeFormatter} pattern. Text without a zone or offset is read in the partitions' time zone; a pattern
 * without a time of day means the start of that day.
 *
 * <p>Only instants in the years 1 to 9999 are accepted: later ones would format with a sign, which is not a valid
 * partition value. Pure and immutable.
 */
public final class EventTime {

    /** The value of KWSYNC_PARTITION_TIME_FIELD that means the record's own timestamp. */
    public static final String RECORD_TIMESTAMP = "timestamp";
    public static final String EPOCH_MILLIS = "epoch-millis";
    public static final String EPOCH_SECONDS = "epoch-seconds";
    public static final String ISO = "iso";

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,19}");
    private static final long MIN = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX = Instant.parse("9999-12-31T00:00:00Z").toEpochMilli(); // a day short: any zone stays in 9999
    private static final ZonedDateTime PROBE = ZonedDateTime.parse("2020-11-17T15:04:05.123+08:00");

    private enum Format { EPOCH_MILLIS, EPOCH_SECONDS, TEXT }

    private final PartitionField field;
    private final Format format;
    private final String formatText;
    private final DateTimeFormatter pattern;
    private final ZoneId zone;

    private EventTime(PartitionField field, Format format, String formatText, DateTimeFormatter pattern, ZoneId zone) {
        this.field = field;
        this.format = format;
        this.formatText = formatText;
        this.pattern = pattern;
        this.zone = zone;
    }

    /** The record's own timestamp. */
    public static EventTime recordTimestamp() {
        return new EventTime(null, Format.EPOCH_MILLIS, EPOCH_MILLIS, null, null);
    }

    /**
     * @param field  a {@link PartitionField}
     * @param format epoch-millis, epoch-seconds, iso, or a java.time pattern such as {@code yyyy-MM-dd HH:mm:ss}
     * @param zone   the zone of text without one
     * @throws IllegalArgumentException for a format that is not one of these or cannot be read back into a date
     */
    public static EventTime ofField(PartitionField field, String format, ZoneId zone) {
        String f = format.strip();
        if (f.equals(EPOCH_MILLIS)) return new EventTime(field, Format.EPOCH_MILLIS, f, null, zone);
        if (f.equals(EPOCH_SECONDS)) return new EventTime(field, Format.EPOCH_SECONDS, f, null, zone);
        DateTimeFormatter p;
        if (f.equals(ISO)) {
            p = DateTimeFormatter.ISO_DATE_TIME;
        } else {
            try {
                p = DateTimeFormatter.ofPattern(f, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + f + "' is neither epoch-millis, epoch-seconds, iso nor a valid"
                        + " java.time pattern: " + e.getMessage());
            }
        }
        EventTime t = new EventTime(field, Format.TEXT, f, p, zone);
        try {
            t.parseText(p.format(PROBE));
        } catch (UnusablePartitionValue | DateTimeException e) {
            throw new IllegalArgumentException("the pattern '" + f + "' does not give a date (it needs at least the year,"
                    + " month and day, e.g. yyyy-MM-dd HH:mm:ss)");
        }
        return t;
    }

    /** Whether the time is read from the record rather than its Kafka timestamp. */
    public boolean fromField() {
        return field != null;
    }

    public PartitionField field() {
        return field;
    }

    /**
     * The instant in epoch milliseconds.
     *
     * @throws UnusablePartitionValue with the reason the record cannot be placed
     */
    long epochMillis(Origin origin, byte[] value) {
        if (field == null) {
            if (origin.timestamp() < 0) throw new UnusablePartitionValue(DirtyRecordException.Stage.MAP, "the record has no timestamp, so its time partition cannot be chosen");
            return origin.timestamp();
        }
        Read r = field.read(origin, value);
        String what = "the partition time field " + field;
        switch (r.found()) {
            case MISSING -> throw new UnusablePartitionValue(what + " is missing");
            case NULL -> throw new UnusablePartitionValue(what + " is null");
            case BOOLEAN, STRUCTURE -> throw new UnusablePartitionValue(what + " holds " + (r.found() == Found.BOOLEAN
                    ? "a boolean" : "an object or array") + ", not " + expected());
            default -> {
            }
        }
        if (format == Format.TEXT && r.found() == Found.NUMBER) {
            throw new UnusablePartitionValue(what + " holds the number " + r.text() + ", not " + expected());
        }
        long millis = format == Format.TEXT ? parseText(r.text()) : epoch(r.text(), what);
        if (millis < MIN || millis > MAX) {
            throw new UnusablePartitionValue(what + " holds '" + r.text() + "', which is outside the years 1 to 9999");
        }
        return millis;
    }

    private String expected() {
        return switch (format) {
            case EPOCH_MILLIS -> "epoch milliseconds (an integer)";
            case EPOCH_SECONDS -> "epoch seconds (an integer)";
            case TEXT -> "a date-time text in the form " + formatText;
        };
    }

    private long epoch(String text, String what) {
        String t = text.strip();
        if (!INTEGER.matcher(t).matches()) {
            throw new UnusablePartitionValue(what + " holds '" + Reasons.clip(text) + "', which is not " + expected());
        }
        try {
            long n = Long.parseLong(t);
            return format == Format.EPOCH_SECONDS ? Math.multiplyExact(n, 1000L) : n;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new UnusablePartitionValue(what + " holds '" + t + "', which is outside the years 1 to 9999");
        }
    }

    private long parseText(String text) {
        TemporalAccessor t;
        try {
            t = pattern.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new UnusablePartitionValue("the partition time field " + field + " holds '" + Reasons.clip(text)
                    + "', which is not " + expected());
        }
        if (t.isSupported(ChronoField.INSTANT_SECONDS)) return Instant.from(t).toEpochMilli();
        LocalDate date = t.query(TemporalQueries.localDate());
        if (date == null) throw new UnusablePartitionValue("the partition time field " + field + " holds '"
                + Reasons.clip(text) + "', which has no date");
        LocalTime time = t.query(TemporalQueries.localTime());
        ZoneId z = t.query(TemporalQueries.zone());
        return ZonedDateTime.of(date, time == null ? LocalTime.MIDNIGHT : time, z == null ? zone : z).toInstant().toEpochMilli();
    }
}
