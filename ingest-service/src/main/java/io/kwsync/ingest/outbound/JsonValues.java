package io.kwsync.ingest.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kwsync.model.DirtyRecordException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A source column's value converted to the JSON type of its field (the column parameter's types). A value that
 * does not convert (JSON_NUMBER from "abc", JSON_MAP from "[1]") makes the row dirty: {@link DirtyRecordException}
 * naming the field, the type and the value. Pure.
 */
final class JsonValues {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest value quoted in a reason, so a huge cell cannot make a huge error record. */
    private static final int QUOTE_MAX = 100;

    private JsonValues() {
    }

    /** The field's JSON value for a non-null source value. */
    static JsonNode convert(Object v, JsonField field, ZoneId zone) {
        return switch (field.type()) {
            case JSON_STRING -> NODES.textNode(SourceText.of(v, zone));
            case JSON_NUMBER -> number(v, field, zone);
            case JSON_BOOL -> bool(v, field, zone);
            case JSON_ARRAY -> structure(v, field, zone, true);
            case JSON_MAP -> structure(v, field, zone, false);
            case JSON_BASE64 -> NODES.textNode(Base64.getEncoder().encodeToString(bytes(v, zone)));
            case JSON_HEX -> NODES.textNode(HexFormat.of().formatHex(bytes(v, zone)));
        };
    }

    private static JsonNode number(Object v, JsonField field, ZoneId zone) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return NODES.numberNode(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) return NODES.numberNode(i);
        if (v instanceof BigDecimal d) return NODES.numberNode(d);
        if (v instanceof Double || v instanceof Float) {
            if (!Double.isFinite(((Number) v).doubleValue())) throw dirty(field, v, zone, "JSON has no NaN or infinity");
            return NODES.numberNode(new BigDecimal(SourceText.of(v, zone)));
        }
        if (v instanceof String s) {
            try {
                return NODES.numberNode(new BigDecimal(s.strip()));
            } catch (NumberFormatException e) {
                throw dirty(field, v, zone, "not a number");
            }
        }
        throw dirty(field, v, zone, "a " + kind(v) + " is not a number");
    }

    private static JsonNode bool(Object v, JsonField field, ZoneId zone) {
        if (v instanceof Boolean b) return NODES.booleanNode(b);
        if (v instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (t.equals("true") || t.equals("false")) return NODES.booleanNode(t.equals("true"));
            throw dirty(field, v, zone, "only true and false are booleans");
        }
        if ((v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte)
                && (((Number) v).longValue() == 0 || ((Number) v).longValue() == 1)) {
            return NODES.booleanNode(((Number) v).longValue() == 1);
        }
        throw dirty(field, v, zone, "only true, false, 1 and 0 are booleans");
    }

    /** JSON_ARRAY / JSON_MAP: an array or map value as it is, JSON text parsed and checked. */
    private static JsonNode structure(Object v, JsonField field, ZoneId zone, boolean array) {
        String wanted = array ? "an array" : "an object";
        if (array && v instanceof List<?> || !array && v instanceof Map<?, ?>) return SourceText.tree(v, zone);
        if (!(v instanceof String) && !(v instanceof byte[])) throw dirty(field, v, zone, "a " + kind(v) + " is not " + wanted);
        JsonNode tree;
        try {
            tree = JSON.readTree(SourceText.of(v, zone));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw dirty(field, v, zone, "not JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        }
        if (tree == null || (array ? !tree.isArray() : !tree.isObject())) throw dirty(field, v, zone, "not JSON " + wanted);
        return tree;
    }

    /** The binary content: bytes as they are, anything else as its UTF-8 text. */
    private static byte[] bytes(Object v, ZoneId zone) {
        return v instanceof byte[] b ? b : SourceText.of(v, zone).getBytes(StandardCharsets.UTF_8);
    }

    private static String kind(Object v) {
        if (v instanceof byte[]) return "byte array";
        if (v instanceof List<?>) return "array";
        if (v instanceof Map<?, ?>) return "map";
        return switch (v.getClass().getSimpleName()) {
            case "LocalDate" -> "date";
            case "LocalTime" -> "time";
            case "LocalDateTime", "OffsetDateTime", "ZonedDateTime", "Instant" -> "date-time";
            case "Boolean" -> "boolean";
            default -> v.getClass().getSimpleName().toLowerCase(Locale.ROOT);
        };
    }

    static DirtyRecordException dirty(JsonField field, Object v, ZoneId zone, String why) {
        return new DirtyRecordException(DirtyRecordException.Stage.MAP, "field '" + field.name() + "' (" + field.type()
                + "): " + quote(v, zone) + " cannot be converted: " + why);
    }

    static String quote(Object v, ZoneId zone) {
        String t = SourceText.of(v, zone);
        return "'" + (t.length() <= QUOTE_MAX ? t : t.substring(0, QUOTE_MAX) + "...") + "'";
    }
}
