package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;

import java.util.List;
import java.util.Map;

/**
 * Debezium change events, as the JSON converter writes them (with the {@code {"schema", "payload"}} envelope or
 * without it) or as the Avro converter does (decoded by {@link AvroDecoder}): {@code op} c (create), u (update) and
 * r (snapshot read) upsert the {@code after} image; d (delete) deletes by the record key, which Debezium fills with the
 * table's primary-key columns. A null value (the tombstone Debezium sends after a delete) is skipped, as are t
 * (truncate) and m (message) events, which change no row of the table.
 *
 * <p>With the schema envelope, the Connect schema gives the semantic types (dates, times, decimals as base64 bytes)
 * that {@link ConnectTypes} turns into column values; without it, values are taken as they are written.
 */
final class DebeziumEnvelope implements ChangeEnvelope {

    @Override
    public List<Change> read(Decoded key, Decoded value) {
        if (value == null) return List.of(Change.skip("Debezium tombstone (null value after a delete)"));
        Map<String, Object> event = ChangeEnvelope.record(unwrap(ChangeEnvelope.tree(value, "value"), "value"), "Debezium event");
        if (!(event.get("op") instanceof String op)) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is not a Debezium change event: no \"op\" field");
        }
        switch (op) {
            case "c", "u", "r" -> {
                return List.of(Change.upsert(ChangeEnvelope.record(event.get("after"), "the \"after\" image of a Debezium \"" + op + "\" event")));
            }
            case "d" -> {
                Object k = key == null ? null : unwrap(ChangeEnvelope.tree(key, "key"), "key");
                if (!(k instanceof Map<?, ?> m) || m.isEmpty()) {
                    throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "Debezium delete event without a"
                            + " primary key: the record key is " + (k == null ? "null (the source table has no primary key?)"
                            : "not a record of key columns"));
                }
                return List.of(Change.delete(ChangeEnvelope.record(k, "key")));
            }
            case "t" -> {
                return List.of(Change.skip("Debezium truncate event (not applied)"));
            }
            case "m" -> {
                return List.of(Change.skip("Debezium message event (changes no row)"));
            }
            default -> throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "Debezium event with unknown op \"" + op + "\"");
        }
    }

    /** The payload of a {"schema", "payload"} envelope with the schema's semantic types applied; else the value. */
    private static Object unwrap(Object v, String what) {
        if (v instanceof Map<?, ?> m && m.size() == 2 && m.containsKey("schema") && m.containsKey("payload")) {
            return ConnectSchemaValues.apply(m.get("schema"), m.get("payload"), what);
        }
        return v;
    }
}
