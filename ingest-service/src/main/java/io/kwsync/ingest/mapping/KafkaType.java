package io.kwsync.ingest.mapping;

import io.kwsync.model.DirtyRecordException;

import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a record key or value is decoded: the Kafka Reader's {@code keyType} / {@code valueType}, read exactly as Kafka's own
 * serializers write them (big-endian two's complement integers, IEEE 754 floats). A null key or value decodes to
 * null, as Kafka's deserializers do; bytes of the wrong length are a dirty record.
 *
 * <p>Column values: BYTEARRAY gives the bytes, STRING the text (strict, in the configured charset), SHORT, INTEGER
 * and LONG a {@link Long}, FLOAT and DOUBLE a {@link Double}. A FLOAT becomes the double with the same shortest
 * decimal form ({@code 1.1f} -> {@code 1.1}, not {@code 1.100000023841858}); NaN and infinities stay as they are.
 */
public enum KafkaType {
    BYTEARRAY(-1), STRING(-1), SHORT(2), INTEGER(4), LONG(8), FLOAT(4), DOUBLE(8);

    private final int width;

    KafkaType(int width) {
        this.width = width;
    }

    /** The valid names, for messages: "BYTEARRAY, STRING, ...". */
    public static String names() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    /** Case-insensitive; '_' and '-' are ignored, so ByteArray, BYTE_ARRAY and bytearray all work. Null if unknown. */
    public static KafkaType parse(String text) {
        if (text == null) return null;
        String n = text.trim().replace("_", "").replace("-", "").toUpperCase(Locale.ROOT);
        for (KafkaType t : values()) {
            if (t.name().equals(n)) return t;
        }
        return null;
    }

    /** Whether the decoded form is text that JSON paths can be read from. */
    public boolean isText() {
        return this == STRING || this == BYTEARRAY;
    }

    /**
     * @param what "key" or "value", for the message of a dirty record
     */
    public Object decode(byte[] b, Charset charset, String what) {
        if (b == null) return null;
        if (width > 0 && b.length != width) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " has " + b.length
                    + (b.length == 1 ? " byte" : " bytes") + ", but type " + name() + " needs exactly " + width
                    + " (big-endian, as Kafka's " + serializer() + " writes it)");
        }
        return switch (this) {
            case BYTEARRAY -> b;
            case STRING -> StrictText.decode(b, charset, what);
            case SHORT -> (long) (short) (((b[0] & 0xFF) << 8) | (b[1] & 0xFF));
            case INTEGER -> (long) int32(b);
            case LONG -> int64(b);
            case FLOAT -> floatToDouble(Float.intBitsToFloat(int32(b)));
            case DOUBLE -> Double.longBitsToDouble(int64(b));
        };
    }

    private String serializer() {
        return switch (this) {
            case SHORT -> "ShortSerializer";
            case INTEGER -> "IntegerSerializer";
            case LONG -> "LongSerializer";
            case FLOAT -> "FloatSerializer";
            default -> "DoubleSerializer";
        };
    }

    private static int int32(byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    private static long int64(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    static double floatToDouble(float f) {
        return Float.isFinite(f) ? Double.parseDouble(Float.toString(f)) : f;
    }
}
