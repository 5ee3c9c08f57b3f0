package io.kwsync.ingest.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.kwsync.ingest.mapping.JsonColumns;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Column values from decoded value trees (see {@link Decoded.Tree}), by the rules plain JSON follows today: a record's
 * top-level fields become columns of the same names, scalars stay as they are, nested records, maps and arrays become
 * {@link JsonText}. Two differences, because JSON cannot carry them: bytes stay bytes (a binary column), and NaN and
 * infinities stay {@link Double}.
 *
 * <p>The JSON text of a nested value is compact, with keys in field order; inside it bytes are base64 strings and
 * NaN/Infinity are the strings "NaN", "Infinity" and "-Infinity" (the Protobuf JSON mapping's choice).
 */
public final class Trees {

    private Trees() {
    }

    /**
     * The top-level fields of a record as columns, in field order.
     *
     * @param what "key" or "value", for the message of a dirty record
     */
    public static Map<String, Object> columns(Object root, String what) {
        if (!(root instanceof Map<?, ?> record)) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " is "
                    + (root == null ? "null" : "not a record (a " + kind(root) + ")") + ", expected a record whose fields are columns");
        }
        Map<String, Object> out = new LinkedHashMap<>((int) (record.size() / 0.75f) + 1);
        for (Map.Entry<?, ?> e : record.entrySet()) out.put((String) e.getKey(), column(e.getValue()));
        return out;
    }

    /** One value as a column: a scalar as it is, a structure as its JSON text. */
    public static Object column(Object v) {
        return v instanceof Map<?, ?> || v instanceof List<?> ? new JsonText(json(v)) : v;
    }

    /** The compact JSON text of a value tree. */
    public static String json(Object v) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JsonColumns.FACTORY.createGenerator(w)) {
            write(g, v);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName((String) e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object x : l) write(g, x);
            g.writeEndArray();
        } else if (v instanceof byte[] b) {
            g.writeBinary(b);
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) g.writeNumber(d);
            else g.writeString(d.isNaN() ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
        } else {
            throw new IllegalArgumentException("not a value tree node: " + v.getClass().getName());
        }
    }

    static String kind(Object v) {
        if (v instanceof Map<?, ?>) return "record";
        if (v instanceof List<?>) return "array";
        if (v instanceof byte[]) return "byte string";
        if (v instanceof String) return "string";
        if (v instanceof Boolean) return "boolean";
        return "number";
    }
}
