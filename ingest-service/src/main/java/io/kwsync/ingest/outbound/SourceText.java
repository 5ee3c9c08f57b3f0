package io.kwsync.ingest.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * A source column's value as text, by the rules of DataWorks' offline Kafka Writer: text as it is, booleans
 * {@code true} / {@code false}, numbers as plain decimal digits (no exponent), date-times {@code yyyy-MM-dd HH:mm:ss}
 * (dates {@code yyyy-MM-dd}, times {@code HH:mm:ss}; a value with a time zone in the job's zone), bytes read as UTF-8
 * text. Arrays and maps (MaxCompute ARRAY, MAP) become JSON text. Pure.
 *
 * <p>The values a source gives are null, String, Boolean, Long, Integer, Short, Byte, BigInteger, BigDecimal, Double,
 * Float, LocalDate, LocalTime, LocalDateTime, OffsetDateTime, ZonedDateTime, Instant, byte[], List and Map; anything
 * else is shown by its toString.
 */
public final class SourceText {

    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private SourceText() {
    }

    /** The text of a non-null value. */
    public static String of(Object v, ZoneId zone) {
        if (v instanceof String s) return s;
        if (v instanceof Boolean b) return b.toString();
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof BigDecimal d) return d.toPlainString();
        if (v instanceof Double d) return Double.isFinite(d) ? plain(Double.toString(d)) : d.toString();
        if (v instanceof Float f) return Float.isFinite(f) ? plain(Float.toString(f)) : f.toString();
        if (v instanceof LocalDateTime t) return DATE_TIME.format(t);
        if (v instanceof LocalDate d) return DATE.format(d);
        if (v instanceof LocalTime t) return TIME.format(t);
        if (v instanceof OffsetDateTime t) return DATE_TIME.format(t.atZoneSameInstant(zone));
        if (v instanceof ZonedDateTime t) return DATE_TIME.format(t.withZoneSameInstant(zone));
        if (v instanceof Instant t) return DATE_TIME.format(t.atZone(zone));
        if (v instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (v instanceof List<?> || v instanceof Map<?, ?>) return tree(v, zone).toString();
        return String.valueOf(v);
    }

    /** Java's shortest digits of a float or double ("1.5", "2.0"), without the exponent it uses for large and small ones. */
    private static String plain(String shortest) {
        return shortest.indexOf('E') < 0 ? shortest : new BigDecimal(shortest).stripTrailingZeros().toPlainString();
    }

    /** A value as a JSON tree: numbers and booleans as such, arrays and maps nested, anything else as its text. */
    public static JsonNode tree(Object v, ZoneId zone) {
        if (v == null) return NODES.nullNode();
        if (v instanceof Boolean b) return NODES.booleanNode(b);
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return NODES.numberNode(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) return NODES.numberNode(i);
        if (v instanceof BigDecimal d) return NODES.numberNode(d);
        if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
            return NODES.numberNode(new BigDecimal(of(v, zone)));
        }
        if (v instanceof List<?> list) {
            ArrayNode a = NODES.arrayNode();
            for (Object e : list) a.add(tree(e, zone));
            return a;
        }
        if (v instanceof Map<?, ?> map) {
            ObjectNode o = NODES.objectNode();
            map.forEach((k, e) -> o.set(String.valueOf(k), tree(e, zone)));
            return o;
        }
        return NODES.textNode(of(v, zone));
    }
}
