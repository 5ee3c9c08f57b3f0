package io.kwsync.sink.maxcompute;

import com.aliyun.odps.data.Char;
import com.aliyun.odps.data.SimpleJsonValue;
import com.aliyun.odps.data.SimpleStruct;
import com.aliyun.odps.data.Varchar;
import com.aliyun.odps.type.AbstractCharTypeInfo;
import com.aliyun.odps.type.ArrayTypeInfo;
import com.aliyun.odps.type.DecimalTypeInfo;
import com.aliyun.odps.type.MapTypeInfo;
import com.aliyun.odps.type.StructTypeInfo;
import com.aliyun.odps.type.TypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kwsync.model.JsonText;
import io.kwsync.sink.maxcompute.RecordFiller.Refused;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The MaxCompute 2.0 types that {@link RecordFiller} leaves to others: lengths and precisions (VARCHAR(n), CHAR(n),
 * DECIMAL(p,s)), date-times given as text, TIMESTAMP_NTZ and JSON, and the nested types ARRAY, MAP and STRUCT filled
 * from JSON arrays and objects, their elements converted by the same rules as columns. Nothing is truncated or
 * rounded: a value that does not fit is refused with the reason (the row goes to the error topic). The rules are
 * listed in docs/maxcompute.md ("Column types").
 */
final class TypedValues {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** {@code 2020-11-17T14:30:00}, also with a space for the T and up to nine fraction digits. */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME).toFormatter(Locale.ROOT);

    private TypedValues() {
    }

    /** VARCHAR(n) and CHAR(n): text of at most n characters. */
    static Object chars(AbstractCharTypeInfo type, String text, boolean varchar) throws Refused {
        int n = text.codePointCount(0, text.length());
        if (n > type.getLength()) {
            throw new Refused("'" + abbreviate(text) + "' has " + n + " characters, more than " + type.getTypeName() + " takes");
        }
        return varchar ? new Varchar(text) : new Char(text);
    }

    /** DECIMAL(p,s): the number as it is, when it has at most s decimal places and fits p digits. */
    static BigDecimal decimal(DecimalTypeInfo type, BigDecimal d) throws Refused {
        if (type.isLegacyDecimal()) return d;
        BigDecimal v = d.scale() > type.getScale() ? d.stripTrailingZeros() : d;
        if (v.scale() > type.getScale()) {
            throw new Refused(d.toPlainString() + " has more than " + type.getScale() + " decimal places (" + type.getTypeName()
                    + "); the sink does not round");
        }
        v = v.setScale(type.getScale());
        if (v.precision() > type.getPrecision()) throw new Refused(d.toPlainString() + " does not fit " + type.getTypeName());
        return v;
    }

    /** An instant from epoch milliseconds or ISO-8601 text with an offset ({@code 2020-11-17T06:30:00Z}, {@code +08:00}). */
    static Instant instant(Object v) throws Refused {
        if (v instanceof Long l) return Instant.ofEpochMilli(l);
        if (v instanceof String s) {
            String text = s.trim();
            Instant plain = DateTimeText.instant(text);
            if (plain != null) return plain;
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                throw new Refused("'" + abbreviate(s) + "' is not an ISO-8601 date-time with an offset, e.g. 2020-11-17T06:30:00Z");
            }
        }
        throw new Refused("expects epoch milliseconds or an ISO-8601 date-time with an offset, got a " + RecordFiller.kind(v));
    }

    static Timestamp timestamp(Object v) throws Refused {
        return Timestamp.from(instant(v));
    }

    /** TIMESTAMP_NTZ: a local date-time as text, or epoch milliseconds taken as UTC; text with an offset is refused. */
    static LocalDateTime localDateTime(Object v) throws Refused {
        if (v instanceof Long l) return LocalDateTime.ofEpochSecond(Math.floorDiv(l, 1000), (int) Math.floorMod(l, 1000) * 1_000_000, ZoneOffset.UTC);
        if (v instanceof String s) {
            String text = s.trim();
            LocalDateTime plain = DateTimeText.local(text);
            if (plain != null) return plain;
            try {
                return LocalDateTime.parse(text, LOCAL);
            } catch (DateTimeException e) {
                throw new Refused("'" + abbreviate(s) + "' is not a date-time without a zone, e.g. 2020-11-17 14:30:00");
            }
        }
        throw new Refused("expects a date-time without a zone or epoch milliseconds, got a " + RecordFiller.kind(v));
    }

    /** JSON: a JSON structure as it is; a string, number or boolean as that JSON value. */
    static SimpleJsonValue json(Object v) throws Refused {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof JsonText j) return new SimpleJsonValue(tree(j));
        if (v instanceof String s) return new SimpleJsonValue(f.textNode(s));
        if (v instanceof Long l) return new SimpleJsonValue(f.numberNode(l));
        if (v instanceof BigDecimal d) return new SimpleJsonValue(f.numberNode(d));
        if (v instanceof Double d) return new SimpleJsonValue(f.numberNode(d));
        if (v instanceof Boolean b) return new SimpleJsonValue(f.booleanNode(b));
        throw new Refused("a " + RecordFiller.kind(v) + " is not a JSON value");
    }

    /** ARRAY, MAP and STRUCT from a JSON array or object; elements by their own types (the column rules). */
    static Object nested(TypeInfo type, Object v) throws Refused {
        if (!(v instanceof JsonText j)) {
            throw new Refused("expects a JSON " + (type instanceof ArrayTypeInfo ? "array" : "object") + ", got a " + RecordFiller.kind(v));
        }
        return nested(type, tree(j), type.getTypeName());
    }

    private static Object nested(TypeInfo type, JsonNode node, String path) throws Refused {
        if (type instanceof ArrayTypeInfo a) {
            if (!node.isArray()) throw new Refused(path + ": expects a JSON array");
            List<Object> out = new ArrayList<>(node.size());
            int i = 0;
            for (JsonNode e : node) out.add(element(a.getElementTypeInfo(), e, path + "[" + i++ + "]"));
            return out;
        }
        if (!node.isObject()) throw new Refused(path + ": expects a JSON object");
        if (type instanceof MapTypeInfo m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(element(m.getKeyTypeInfo(), JsonNodeFactory.instance.textNode(e.getKey()), path + " key " + e.getKey()),
                        element(m.getValueTypeInfo(), e.getValue(), path + "." + e.getKey()));
            }
            return out;
        }
        StructTypeInfo s = (StructTypeInfo) type;
        List<Object> values = new ArrayList<>();
        Map<String, String> unused = new LinkedHashMap<>();
        node.fieldNames().forEachRemaining(k -> unused.put(k.toLowerCase(Locale.ROOT), k));
        for (int i = 0; i < s.getFieldCount(); i++) {
            String name = s.getFieldNames().get(i);
            String given = unused.remove(name.toLowerCase(Locale.ROOT));
            values.add(given == null ? null : element(s.getFieldTypeInfos().get(i), node.get(given), path + "." + name));
        }
        if (!unused.isEmpty()) throw new Refused(path + ": has no field " + unused.values().iterator().next());
        return new SimpleStruct(s, values);
    }

    /** One element: JSON null is NULL, nested types recurse, the rest converts as a column value would. */
    private static Object element(TypeInfo type, JsonNode node, String path) throws Refused {
        if (node == null || node.isNull()) return null;
        if (type instanceof ArrayTypeInfo || type instanceof MapTypeInfo || type instanceof StructTypeInfo) {
            return nested(type, node, path);
        }
        Object v = node.isTextual() ? node.textValue() : node.isBoolean() ? node.booleanValue()
                : node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue()
                : node.isNumber() ? node.decimalValue() : new JsonText(node.toString());
        try {
            return RecordFiller.value(type, v);
        } catch (Refused e) {
            throw new Refused(path + ": " + e.getMessage());
        }
    }

    private static JsonNode tree(JsonText j) throws Refused {
        try {
            return JSON.readTree(j.json());
        } catch (JsonProcessingException e) {
            throw new Refused("not JSON: " + e.getOriginalMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
