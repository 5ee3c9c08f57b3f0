package io.kwsync.ingest.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One field of a JSON value (an entry of the Kafka Writer's column parameter): its name and the JSON type the
 * column's value is converted to. Pure.
 */
public record JsonField(String name, Type type) {

    /** The JSON types of the column parameter; JSON_STRING when none is given. */
    public enum Type {
        JSON_STRING, JSON_NUMBER, JSON_BOOL, JSON_ARRAY, JSON_MAP, JSON_BASE64, JSON_HEX;

        /** Case-insensitive; null when unknown. */
        static Type parse(String text) {
            String t = text.strip().toUpperCase(Locale.ROOT);
            for (Type type : values()) if (type.name().equals(t)) return type;
            return null;
        }

        static String names() {
            return String.join(", ", java.util.Arrays.stream(values()).map(Enum::name).toList());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The column setting as DataWorks writes it, a JSON array of {"name":..,"type":..} objects or of names, or the
     * shorter {@code name[:TYPE],name[:TYPE]}.
     *
     * @throws IllegalArgumentException with the reason
     */
    public static List<JsonField> parseList(String text) {
        String t = text.strip();
        List<JsonField> out = t.startsWith("[") ? fromJson(t) : fromPairs(t);
        if (out.isEmpty()) throw new IllegalArgumentException("names no field");
        Set<String> seen = new HashSet<>();
        for (JsonField f : out) {
            if (!seen.add(f.name())) throw new IllegalArgumentException("names the field '" + f.name() + "' twice");
        }
        return List.copyOf(out);
    }

    private static List<JsonField> fromJson(String text) {
        JsonNode array;
        try {
            array = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("is not valid JSON: " + e.getOriginalMessage());
        }
        List<JsonField> out = new ArrayList<>();
        for (JsonNode e : array) {
            if (e.isTextual()) {
                out.add(field(e.asText(), null));
            } else if (e.isObject() && e.path("name").isTextual()) {
                JsonNode type = e.get("type");
                if (type != null && !type.isTextual()) throw new IllegalArgumentException("field " + e + ": its type is not text");
                out.add(field(e.get("name").asText(), type == null ? null : type.asText()));
            } else {
                throw new IllegalArgumentException("entry " + e + " is neither a name nor {\"name\":...,\"type\":...}");
            }
        }
        return out;
    }

    private static List<JsonField> fromPairs(String text) {
        List<JsonField> out = new ArrayList<>();
        for (String entry : text.split(",", -1)) {
            int colon = entry.lastIndexOf(':');
            out.add(colon < 0 ? field(entry, null) : field(entry.substring(0, colon), entry.substring(colon + 1)));
        }
        return out;
    }

    private static JsonField field(String name, String type) {
        String n = name.strip();
        if (n.isEmpty()) throw new IllegalArgumentException("has a field without a name");
        if (type == null || type.isBlank()) return new JsonField(n, Type.JSON_STRING);
        Type t = Type.parse(type);
        if (t == null) throw new IllegalArgumentException("field '" + n + "': '" + type.strip() + "' is not one of " + Type.names());
        return new JsonField(n, t);
    }
}
