package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;

import java.math.BigDecimal;
import java.util.Base64;
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
        StringBuilder sb = new StringBuilder(64);
        write(sb, v);
        return sb.toString();
    }

    // Written by hand, not with a Jackson generator: a generator per nested value cost more than the whole decode.
    private static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Long || v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof BigDecimal d) {
            sb.append(d);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                string(sb, (String) e.getKey());
                sb.append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(',');
                write(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof byte[] b) {
            sb.append('"').append(Base64.getEncoder().encodeToString(b)).append('"');
        } else if (v instanceof Double d) {
            if (Double.isFinite(d)) sb.append(d);
            else sb.append(d.isNaN() ? "\"NaN\"" : d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
        } else {
            throw new IllegalArgumentException("not a value tree node: " + v.getClass().getName());
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** A JSON string as Jackson writes it: quote, backslash and control characters escaped, the rest as is. */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    case '\r' -> sb.append("\\r");
                    case '\t' -> sb.append("\\t");
                    case '\b' -> sb.append("\\b");
                    case '\f' -> sb.append("\\f");
                    default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            }
        }
        sb.append('"');
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
