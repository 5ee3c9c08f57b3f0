package io.kwsync.ingest.format;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a Kafka Connect schema, as the JSON converter writes it beside the payload ({@code type}, {@code fields}
 * with {@code field} names, {@code items}, {@code values}, semantic {@code name} and {@code parameters}), to the
 * payload: bytes (base64 in JSON) become byte[], semantic types become column values ({@link ConnectTypes}).
 * Whatever does not match the schema's shape is left as it is.
 */
final class ConnectSchemaValues {

    private ConnectSchemaValues() {
    }

    static Object apply(Object schema, Object value, String what) {
        if (!(schema instanceof Map<?, ?> s) || value == null) return value;
        Object type = s.get("type");
        Object converted = value;
        if ("struct".equals(type) && value instanceof Map<?, ?> m && s.get("fields") instanceof List<?> fields) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, v));
            for (Object f : fields) {
                if (f instanceof Map<?, ?> field && field.get("field") instanceof String name && out.containsKey(name)) {
                    out.put(name, apply(field, out.get(name), what));
                }
            }
            converted = out;
        } else if ("array".equals(type) && value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object item : l) out.add(apply(s.get("items"), item, what));
            converted = out;
        } else if ("map".equals(type) && value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put((String) k, apply(s.get("values"), v, what)));
            converted = out;
        } else if ("bytes".equals(type) && value instanceof String b64 && s.get("name") == null) {
            try {
                converted = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                converted = value;
            }
        }
        Object name = s.get("name");
        Map<?, ?> params = s.get("parameters") instanceof Map<?, ?> p ? p : Map.of();
        return name instanceof String n ? ConnectTypes.convert(n, params, converted) : converted;
    }
}
