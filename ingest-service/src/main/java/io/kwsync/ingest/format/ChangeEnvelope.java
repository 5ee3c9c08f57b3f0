package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A change-data-capture envelope: reads the row changes one source record carries from its decoded key and value.
 * Pure and thread-safe. The changes of one record come in the order the record lists them (Canal batches several rows
 * per record); records are read in source-partition order by the caller, which keeps the order of changes per key.
 *
 * <p>A record that is not an envelope of this kind, an operation it does not know, or a delete without primary-key
 * columns is dirty ({@link DirtyRecordException}, stage DECODE).
 */
public interface ChangeEnvelope {

    /**
     * @param key   the decoded record key, or null
     * @param value the decoded record value, or null (a tombstone)
     */
    List<Change> read(Decoded key, Decoded value);

    /** The envelope for a format name: debezium-json, debezium-avro, canal-json, maxwell-json. */
    static ChangeEnvelope named(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "debezium-json", "debezium-avro" -> new DebeziumEnvelope();
            case "canal-json" -> new CanalEnvelope();
            case "maxwell-json" -> new MaxwellEnvelope();
            default -> throw new IllegalArgumentException("unknown change-event format " + format
                    + "; known: debezium-json, debezium-avro, canal-json, maxwell-json");
        };
    }

    /** The value tree of a decoded key or value: JSON is parsed, a tree is taken as it is. */
    static Object tree(Decoded d, String what) {
        if (d == null) return null;
        if (d instanceof Decoded.Json j) return JsonTrees.parse(j.json(), what);
        return ((Decoded.Tree) d).root();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> record(Object v, String what) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is "
                + (v == null ? "missing" : "a " + Trees.kind(v) + ", not a record"));
    }
}
