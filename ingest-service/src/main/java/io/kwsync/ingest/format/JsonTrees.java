package io.kwsync.ingest.format;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kwsync.ingest.mapping.JsonColumns;
import io.kwsync.ingest.mapping.Utf8Text;
import io.kwsync.model.DirtyRecordException;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads JSON text into a value tree (see {@link Decoded.Tree}) with the scalar rules of the JSON column reader:
 * integers as {@link Long} (beyond 64 bits {@link BigDecimal}), fractions as {@link BigDecimal}, so a change event's
 * after-image gives the same columns as the same object sent as plain JSON. Malformed JSON, bytes that are not UTF-8,
 * duplicate keys and trailing content make the record dirty, as they do there. Used for the JSON change-event
 * envelopes, which must be read whole to find the operation and the image.
 */
public final class JsonTrees {

    private JsonTrees() {
    }

    /** @param what "key" or "value", for the message of a dirty record */
    public static Object parse(byte[] json, String what) {
        String notText = Utf8Text.problem(json);
        if (notText != null) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is not UTF-8 text: " + notText);
        }
        return JsonColumns.read(json, p -> {
            JsonToken first = p.nextToken();
            if (first == null) throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is empty, expected JSON");
            Object v = value(p);
            if (p.nextToken() != null) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "trailing content after the JSON " + what);
            }
            return v;
        });
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (next(p) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    next(p);
                    Object v = value(p);
                    if (m.containsKey(name)) {
                        throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "duplicate JSON key \"" + name + "\"");
                    }
                    m.put(name, v);
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (next(p) != JsonToken.END_ARRAY) l.add(value(p));
                return l;
            }
            default -> {
                return JsonColumns.scalarOrText(p);
            }
        }
    }

    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is truncated JSON");
        return t;
    }
}
