package io.kwsync.ingest.format;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.Map;

/**
 * Kafka Connect and Debezium semantic types, named in a change event's schema (the JSON converter's {@code "name"},
 * the Avro converter's {@code "connect.name"}), turned into the column values {@link LogicalValues} describes:
 * Connect Date/Time/Timestamp and Decimal, Debezium's Date, Time, MicroTime, NanoTime, Timestamp (a local date-time
 * counted from 1970-01-01T00:00), MicroTimestamp, NanoTimestamp and VariableScaleDecimal. Other names, and values that
 * are not of the expected shape, are left as they are.
 */
final class ConnectTypes {

    private ConnectTypes() {
    }

    /**
     * @param params the schema's parameters (Decimal's {@code scale}), or an empty map
     */
    static Object convert(String name, Map<?, ?> params, Object raw) {
        if (name == null || raw == null) return raw;
        switch (name) {
            case "org.apache.kafka.connect.data.Date", "io.debezium.time.Date" -> {
                return raw instanceof Long l ? LogicalValues.date(l) : raw;
            }
            case "org.apache.kafka.connect.data.Time", "io.debezium.time.Time" -> {
                return raw instanceof Long l ? LogicalValues.time(l, 1_000_000L) : raw;
            }
            case "io.debezium.time.MicroTime" -> {
                return raw instanceof Long l ? LogicalValues.time(l, 1_000L) : raw;
            }
            case "io.debezium.time.NanoTime" -> {
                return raw instanceof Long l ? LogicalValues.time(l, 1L) : raw;
            }
            case "org.apache.kafka.connect.data.Timestamp" -> {
                return raw instanceof Long l ? LogicalValues.instant(l, 1_000L) : raw;
            }
            case "io.debezium.time.Timestamp" -> {
                return raw instanceof Long l ? LogicalValues.local(l, 1_000L) : raw;
            }
            case "io.debezium.time.MicroTimestamp" -> {
                return raw instanceof Long l ? LogicalValues.local(l, 1_000_000L) : raw;
            }
            case "io.debezium.time.NanoTimestamp" -> {
                return raw instanceof Long l ? LogicalValues.local(l, 1_000_000_000L) : raw;
            }
            case "org.apache.kafka.connect.data.Decimal" -> {
                byte[] unscaled = bytes(raw);
                Object scale = params.get("scale");
                if (unscaled == null || scale == null) return raw;
                return LogicalValues.decimal(unscaled, Integer.parseInt(scale.toString()));
            }
            case "io.debezium.data.VariableScaleDecimal" -> {
                if (raw instanceof Map<?, ?> m && m.get("scale") instanceof Long scale && bytes(m.get("value")) != null) {
                    return LogicalValues.decimal(bytes(m.get("value")), scale.intValue());
                }
                return raw;
            }
            default -> {
                return raw;
            }
        }
    }

    /** Bytes as Avro gives them, or as the JSON converter writes them (base64 text). */
    private static byte[] bytes(Object v) {
        if (v instanceof byte[] b) return b;
        if (v instanceof String s) {
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (v instanceof BigDecimal) return null;
        return null;
    }
}
