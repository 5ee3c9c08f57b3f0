package io.kwsync.ingest.outbound;

import io.kwsync.ingest.mapping.KafkaType;
import io.kwsync.model.DirtyRecordException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * A record key or value as the bytes Kafka's own serializers write for its type (keyType / valueType): STRING as
 * UTF-8 (StringSerializer), BYTEARRAY as the bytes (binary columns unchanged, anything else its UTF-8 text), SHORT,
 * INTEGER and LONG as big-endian two's complement of 2, 4 and 8 bytes, FLOAT and DOUBLE as big-endian IEEE 754 of 4 and
 * 8 bytes. A number type takes a number column or text that is a number; a value that is not one, a fraction for an
 * integer type, or a number outside the type's range makes the row dirty. Null stays null, as with Kafka's
 * serializers. Pure: the mirror of {@link KafkaType#decode}.
 */
final class TypedBytes {

    /** Decimal notation: what BigDecimal and Double.parseDouble both read (not the hex and suffix forms of the latter). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    /** What else DoubleSerializer and FloatSerializer can write. */
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(NaN|Infinity)");

    private TypedBytes() {
    }

    /** @param what "key" or "value", for the reason of a dirty row */
    static byte[] of(Object v, KafkaType type, String what, ZoneId zone) {
        if (v == null) return null;
        return switch (type) {
            case STRING -> SourceText.of(v, zone).getBytes(StandardCharsets.UTF_8);
            case BYTEARRAY -> v instanceof byte[] b ? b : SourceText.of(v, zone).getBytes(StandardCharsets.UTF_8);
            case SHORT -> ByteBuffer.allocate(2).putShort((short) integral(v, type, what, zone, Short.MIN_VALUE, Short.MAX_VALUE)).array();
            case INTEGER -> ByteBuffer.allocate(4).putInt((int) integral(v, type, what, zone, Integer.MIN_VALUE, Integer.MAX_VALUE)).array();
            case LONG -> ByteBuffer.allocate(8).putLong(integral(v, type, what, zone, Long.MIN_VALUE, Long.MAX_VALUE)).array();
            case FLOAT -> ByteBuffer.allocate(4).putFloat(toFloat(v, what, zone)).array();
            case DOUBLE -> ByteBuffer.allocate(8).putDouble(toDouble(v, type, what, zone)).array();
        };
    }

    private static long integral(Object v, KafkaType type, String what, ZoneId zone, long min, long max) {
        BigDecimal d = decimal(v, type, what, zone);
        BigInteger i;
        try {
            i = d.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw dirty(what, type, v, zone, "has a fraction");
        }
        if (i.compareTo(BigInteger.valueOf(min)) < 0 || i.compareTo(BigInteger.valueOf(max)) > 0) {
            throw dirty(what, type, v, zone, "is outside " + min + ".." + max);
        }
        return i.longValueExact();
    }

    private static BigDecimal decimal(Object v, KafkaType type, String what, ZoneId zone) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger i) return new BigDecimal(i);
        if (v instanceof BigDecimal d) return d;
        if (v instanceof Double || v instanceof Float) {
            if (!Double.isFinite(((Number) v).doubleValue())) throw dirty(what, type, v, zone, "is not a whole number");
            return new BigDecimal(SourceText.of(v, zone));
        }
        if (v instanceof String s && DECIMAL.matcher(s.strip()).matches()) {
            return new BigDecimal(s.strip());
        }
        throw dirty(what, type, v, zone, "is not a number");
    }

    private static double toDouble(Object v, KafkaType type, String what, ZoneId zone) {
        if (v instanceof Number n && !(v instanceof BigDecimal) && !(v instanceof BigInteger)) {
            return v instanceof Float f ? Double.parseDouble(Float.toString(f)) : n.doubleValue();
        }
        if (v instanceof BigDecimal || v instanceof BigInteger) return ((Number) v).doubleValue();
        if (v instanceof String s && (DECIMAL.matcher(s.strip()).matches() || SPECIAL.matcher(s.strip()).matches())) {
            return Double.parseDouble(s.strip());
        }
        throw dirty(what, type, v, zone, "is not a number");
    }

    private static float toFloat(Object v, String what, ZoneId zone) {
        if (v instanceof Float f) return f;
        double d = toDouble(v, KafkaType.FLOAT, what, zone);
        float f = (float) d;
        if (Double.isFinite(d) && Float.isInfinite(f)) throw dirty(what, KafkaType.FLOAT, v, zone, "is outside the range of FLOAT");
        return f;
    }

    private static DirtyRecordException dirty(String what, KafkaType type, Object v, ZoneId zone, String why) {
        return new DirtyRecordException(DirtyRecordException.Stage.MAP, what + " " + JsonValues.quote(v, zone)
                + " cannot be written as " + type + ": it " + why);
    }
}
