package io.kwsync.ingest.partition;

import io.kwsync.ingest.partition.PartitionField.Read;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the partition of one record, column by column: a time column formats the record's time (its Kafka timestamp
 * or an event time read from the record, see {@link EventTime}) through the {@link TimePartitioner}; a value column
 * takes the text of a field of the record ({@link PartitionField}), such as {@code region}, unchanged.
 *
 * <p>A record whose time or value cannot be read, or whose value MaxCompute refuses in a partition value, never gets a
 * partition named after it: it goes to the configured default partition, or is dirty (stage DECODE, with the reason).
 * Pure and thread-safe; the decision is made in ingest-service, which has the payload, and travels in the row event.
 */
public final class RecordPartitioner {

    private final List<String> columns;
    private final PartitionField[] values;
    private final EventTime time;
    private final TimePartitioner times;
    private final Map<String, String> fallback;

    /**
     * @param columns  every partition column, in the table's order
     * @param values   the columns that take a field's value (the others take the time)
     * @param time     where the time comes from; unused without time columns
     * @param times    formats the time columns; null when there are none
     * @param fallback the partition of records whose partition cannot be read; empty to make them dirty
     */
    public RecordPartitioner(List<String> columns, Map<String, PartitionField> values, EventTime time, TimePartitioner times,
                             Optional<Map<String, String>> fallback) {
        this.columns = List.copyOf(columns);
        this.values = new PartitionField[columns.size()];
        for (int i = 0; i < columns.size(); i++) this.values[i] = values.get(columns.get(i));
        if (times == null && values.size() < columns.size()) throw new IllegalArgumentException("time columns without a time partitioner");
        this.time = time;
        this.times = times;
        this.fallback = fallback.map(f -> Collections.unmodifiableMap(new LinkedHashMap<>(f))).orElse(null);
    }

    /** Partitions from the record timestamp only: the behaviour before value columns and event times existed. */
    public static RecordPartitioner byTimestamp(TimePartitioner times) {
        return new RecordPartitioner(times.columns(), Map.of(), EventTime.recordTimestamp(), times, Optional.empty());
    }

    /**
     * The record's partition spec, column by column in the table's order. Within one period, records partitioned by time
     * alone get the same map instance, so that callers may cache by identity.
     *
     * @throws DirtyRecordException when the partition cannot be read and there is no default partition
     */
    public Map<String, String> partition(Origin origin, byte[] value) {
        try {
            Map<String, String> t = times == null ? Map.of() : times.partition(time.epochMillis(origin, value));
            if (times != null && t.size() == columns.size()) return t;
            Map<String, String> spec = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                String c = columns.get(i);
                spec.put(c, values[i] == null ? t.get(c) : value(values[i], c, origin, value));
            }
            return spec;
        } catch (UnusablePartitionValue e) {
            if (fallback != null) return fallback;
            throw new DirtyRecordException(e.stage(), e.getMessage());
        }
    }

    private static String value(PartitionField field, String column, Origin origin, byte[] value) {
        Read r = field.read(origin, value);
        String what = "the partition field " + field + " (column " + column + ")";
        return switch (r.found()) {
            case MISSING -> throw new UnusablePartitionValue(what + " is missing");
            case NULL -> throw new UnusablePartitionValue(what + " is null");
            case STRUCTURE -> throw new UnusablePartitionValue(what + " holds an object or array, not a partition value");
            default -> {
                if (!TimePartitioner.validValue(r.text())) {
                    throw new UnusablePartitionValue(what + " holds '" + Reasons.clip(r.text()) + "', which MaxCompute"
                            + " refuses as a partition value (" + TimePartitioner.VALUE_RULE + ")");
                }
                yield r.text();
            }
        };
    }

    public List<String> columns() {
        return columns;
    }

    /** Whether some partition value or the time is read from the JSON value. */
    public boolean readsValue() {
        for (PartitionField f : values) {
            if (f != null && f.readsValue()) return true;
        }
        return times != null && time.fromField() && time.field().readsValue();
    }

    /** Whether every partition column takes a field's value (no time column). */
    public boolean valuesOnly() {
        return times == null;
    }

    /** Whether the partition depends on more than the record timestamp. */
    public boolean readsRecord() {
        for (PartitionField f : values) {
            if (f != null) return true;
        }
        return times != null && time.fromField();
    }
}
