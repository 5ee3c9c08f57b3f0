package io.kwsync.ingest.mapping;

import io.kwsync.model.DirtyRecordException;
import org.apache.kafka.common.serialization.DoubleSerializer;
import org.apache.kafka.common.serialization.FloatSerializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.ShortSerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every key/value type decodes exactly what Kafka's own serializer of that type wrote. */
class KafkaTypeTest {

    static final Charset UTF8 = StandardCharsets.UTF_8;

    static Stream<Arguments> kafkaSerialized() {
        ShortSerializer s = new ShortSerializer();
        IntegerSerializer i = new IntegerSerializer();
        LongSerializer l = new LongSerializer();
        FloatSerializer f = new FloatSerializer();
        DoubleSerializer d = new DoubleSerializer();
        StringSerializer str = new StringSerializer();
        return Stream.of(
                Arguments.of(KafkaType.SHORT, s.serialize("t", (short) 0), 0L),
                Arguments.of(KafkaType.SHORT, s.serialize("t", (short) -2), -2L),
                Arguments.of(KafkaType.SHORT, s.serialize("t", Short.MAX_VALUE), (long) Short.MAX_VALUE),
                Arguments.of(KafkaType.SHORT, s.serialize("t", Short.MIN_VALUE), (long) Short.MIN_VALUE),
                Arguments.of(KafkaType.INTEGER, i.serialize("t", 123456789), 123456789L),
                Arguments.of(KafkaType.INTEGER, i.serialize("t", -1), -1L),
                Arguments.of(KafkaType.INTEGER, i.serialize("t", Integer.MAX_VALUE), (long) Integer.MAX_VALUE),
                Arguments.of(KafkaType.INTEGER, i.serialize("t", Integer.MIN_VALUE), (long) Integer.MIN_VALUE),
                Arguments.of(KafkaType.LONG, l.serialize("t", 1_669_111_200_000L), 1_669_111_200_000L),
                Arguments.of(KafkaType.LONG, l.serialize("t", Long.MAX_VALUE), Long.MAX_VALUE),
                Arguments.of(KafkaType.LONG, l.serialize("t", Long.MIN_VALUE), Long.MIN_VALUE),
                Arguments.of(KafkaType.FLOAT, f.serialize("t", 1.1f), 1.1d),
                Arguments.of(KafkaType.FLOAT, f.serialize("t", -0.0f), -0.0d),
                Arguments.of(KafkaType.FLOAT, f.serialize("t", Float.MAX_VALUE), 3.4028235E38d),
                Arguments.of(KafkaType.FLOAT, f.serialize("t", Float.MIN_VALUE), 1.4E-45d),
                Arguments.of(KafkaType.FLOAT, f.serialize("t", Float.NaN), Double.NaN),
                Arguments.of(KafkaType.FLOAT, f.serialize("t", Float.NEGATIVE_INFINITY), Double.NEGATIVE_INFINITY),
                Arguments.of(KafkaType.DOUBLE, d.serialize("t", 0.1d), 0.1d),
                Arguments.of(KafkaType.DOUBLE, d.serialize("t", Double.MAX_VALUE), Double.MAX_VALUE),
                Arguments.of(KafkaType.DOUBLE, d.serialize("t", Double.MIN_VALUE), Double.MIN_VALUE),
                Arguments.of(KafkaType.DOUBLE, d.serialize("t", Double.POSITIVE_INFINITY), Double.POSITIVE_INFINITY),
                Arguments.of(KafkaType.STRING, str.serialize("t", "héllo wörld ✓ 𝄞"), "héllo wörld ✓ 𝄞"),
                Arguments.of(KafkaType.STRING, str.serialize("t", ""), ""),
                Arguments.of(KafkaType.STRING, str.serialize("t", "a real \uFFFD stays"), "a real \uFFFD stays"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("kafkaSerialized")
    void decodesWhatKafkasSerializerWrote(KafkaType type, byte[] bytes, Object expected) {
        assertEquals(expected, type.decode(bytes, UTF8, "value"));
    }

    @Test
    void byteArrayIsTheBytesThemselves() {
        byte[] b = {0, (byte) 0xFF, 0x7F};
        assertSame(b, KafkaType.BYTEARRAY.decode(b, UTF8, "key"));
        assertArrayEquals(new byte[0], (byte[]) KafkaType.BYTEARRAY.decode(new byte[0], UTF8, "key"));
    }

    @Test
    void nullIsNullForEveryType() {
        for (KafkaType t : KafkaType.values()) assertNull(t.decode(null, UTF8, "key"), t.name());
    }

    @ParameterizedTest(name = "{0} from {1} bytes")
    @CsvSource(delimiter = '|', value = {
            "SHORT|0|value has 0 bytes, but type SHORT needs exactly 2",
            "SHORT|4|value has 4 bytes, but type SHORT needs exactly 2",
            "INTEGER|2|value has 2 bytes, but type INTEGER needs exactly 4",
            "INTEGER|8|value has 8 bytes, but type INTEGER needs exactly 4",
            "LONG|4|value has 4 bytes, but type LONG needs exactly 8",
            "LONG|9|value has 9 bytes, but type LONG needs exactly 8",
            "FLOAT|8|value has 8 bytes, but type FLOAT needs exactly 4",
            "DOUBLE|1|value has 1 byte, but type DOUBLE needs exactly 8",
            "DOUBLE|0|value has 0 bytes, but type DOUBLE needs exactly 8",
    })
    void wrongLengthIsDirty(KafkaType type, int length, String message) {
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> type.decode(new byte[length], UTF8, "value"));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
    }

    static Stream<Arguments> badText() {
        return Stream.of(
                Arguments.of("UTF-8", new byte[]{'a', (byte) 0xC3, 0x28}, "malformed input at byte 1 of 3"),
                Arguments.of("UTF-8", new byte[]{(byte) 0xC0, (byte) 0xAF}, "at byte 0"),          // overlong '/'
                Arguments.of("UTF-8", new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "at byte 0"), // lone surrogate
                Arguments.of("UTF-8", new byte[]{'o', 'k', (byte) 0xE2, (byte) 0x82}, "at byte 2"),   // truncated sequence
                Arguments.of("UTF-8", new byte[]{(byte) 0xFF}, "at byte 0"),
                Arguments.of("US-ASCII", new byte[]{'a', (byte) 0x80}, "at byte 1"),
                Arguments.of("GBK", new byte[]{(byte) 0x81}, "at byte 0"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("badText")
    void stringIsStrictNeverAReplacementCharacter(String charset, byte[] bytes, String where) {
        DirtyRecordException e = assertThrows(DirtyRecordException.class,
                () -> KafkaType.STRING.decode(bytes, Charset.forName(charset), "key"));
        assertTrue(e.getMessage().startsWith("key is not valid " + Charset.forName(charset).name() + " text"), e.getMessage());
        assertTrue(e.getMessage().contains(where), e.getMessage());
    }

    @Test
    void stringHonoursTheConfiguredEncoding() {
        Map<String, String> samples = Map.of("GBK", "中文字段", "ISO-8859-1", "façade", "UTF-16", "ü and 𝄞", "Shift_JIS", "日本語");
        samples.forEach((cs, text) -> assertEquals(text,
                KafkaType.STRING.decode(text.getBytes(Charset.forName(cs)), Charset.forName(cs), "value"), cs));
    }

    @ParameterizedTest
    @CsvSource({"ByteArray,BYTEARRAY", "bytearray,BYTEARRAY", "BYTE_ARRAY,BYTEARRAY", "string,STRING", " Long ,LONG",
            "Integer,INTEGER", "SHORT,SHORT", "Float,FLOAT", "double,DOUBLE"})
    void typeNamesAreForgivingAboutCase(String text, KafkaType expected) {
        assertEquals(expected, KafkaType.parse(text));
    }

    @Test
    void unknownTypeNamesAreNull() {
        assertNull(KafkaType.parse("INT"));
        assertNull(KafkaType.parse("JSON"));
        assertNull(KafkaType.parse(null));
        assertEquals("BYTEARRAY, STRING, SHORT, INTEGER, LONG, FLOAT, DOUBLE", KafkaType.names());
    }
}
