package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maxwell's JSON events: {@code type} insert, update and bootstrap-insert upsert {@code data} (the after-image);
 * delete deletes by the primary key. The key columns come from {@code primary_key_columns} (Maxwell's
 * output_primary_key_columns option) picked from {@code data}, or else from the record key Maxwell writes: the
 * hash form {@code {"database": .., "table": .., "pk.id": 1}} or the array form {@code ["db", "table",
 * [{"id": 1}]]}. bootstrap-start and bootstrap-complete, and DDL events (database-create, table-alter, ...), are
 * skipped.
 */
final class MaxwellEnvelope implements ChangeEnvelope {

    @Override
    public List<Change> read(Decoded key, Decoded value) {
        if (value == null) return List.of(Change.skip("null value (Maxwell never writes one)"));
        Map<String, Object> event = ChangeEnvelope.record(ChangeEnvelope.tree(value, "value"), "Maxwell event");
        if (!(event.get("type") instanceof String type)) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is not a Maxwell event: no \"type\" field");
        }
        switch (type) {
            case "insert", "update", "bootstrap-insert" -> {
                return List.of(Change.upsert(ChangeEnvelope.record(event.get("data"), "the \"data\" of a Maxwell " + type + " event")));
            }
            case "delete" -> {
                Map<String, Object> data = ChangeEnvelope.record(event.get("data"), "the \"data\" of a Maxwell delete event");
                return List.of(Change.delete(keyColumns(event, data, key)));
            }
            case "bootstrap-start", "bootstrap-complete" -> {
                return List.of(Change.skip("Maxwell " + type + " marker"));
            }
            default -> {
                if (type.startsWith("database-") || type.startsWith("table-")) return List.of(Change.skip("Maxwell DDL event " + type + " (not applied)"));
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "Maxwell event of unknown type \"" + type + "\"");
            }
        }
    }

    private static Map<String, Object> keyColumns(Map<String, Object> event, Map<String, Object> data, Decoded key) {
        if (event.get("primary_key_columns") instanceof List<?> cols && !cols.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (Object c : cols) names.add(String.valueOf(c));
            return CanalEnvelope.pick(data, names);
        }
        Object k = ChangeEnvelope.tree(key, "key");
        Map<String, Object> out = new LinkedHashMap<>();
        if (k instanceof Map<?, ?> hash) {
            hash.forEach((name, v) -> {
                if (name instanceof String s && s.startsWith("pk.")) out.put(s.substring(3), v);
            });
        } else if (k instanceof List<?> array && array.size() == 3 && array.get(2) instanceof List<?> pks) {
            for (Object pk : pks) {
                if (pk instanceof Map<?, ?> m) m.forEach((name, v) -> out.put(String.valueOf(name), v));
            }
        }
        if (out.isEmpty()) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "Maxwell delete event without a primary key:"
                    + " no \"primary_key_columns\" and no primary-key values in the record key");
        }
        return out;
    }
}
