package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JSON Schema in the schema-registry framing: magic byte, schema id, then JSON text. The id must name a JSON schema
 * in the registry (an unknown id or another type makes the record dirty); the JSON after the header is then read as a
 * plain JSON topic is, so its columns are exactly those of the same JSON without the framing. The payload is not
 * validated against the schema: the serializer did that when it wrote it, and the column mapping checks what it uses.
 */
public final class JsonSchemaDecoder implements RecordDecoder {

    private final SchemaRegistryClient registry;
    private final Map<Integer, Boolean> checked = new ConcurrentHashMap<>();

    public JsonSchemaDecoder(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public Decoded decode(byte[] bytes, String what) {
        if (bytes == null) return null;
        int id = ConfluentFrame.schemaId(bytes, what);
        if (!checked.containsKey(id)) {
            RegisteredSchema s = registry.byId(id);
            if (!"JSON".equals(s.type())) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " names schema id " + id + ", a "
                        + s.type() + " schema, but the format is JSON Schema");
            }
            checked.put(id, Boolean.TRUE);
        }
        return new Decoded.Json(Arrays.copyOfRange(bytes, ConfluentFrame.HEADER, bytes.length));
    }
}
