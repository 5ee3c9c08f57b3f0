package io.kwsync.ingest.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8TextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty||-1",
            "ascii|7b2261223a317d|-1",
            "two-byte e-acute|c3a9|-1",
            "three-byte euro|e282ac|-1",
            "four-byte emoji|f09f9880|-1",
            "BOM then ascii|efbbbf7b7d|-1",
            "highest code point|f48fbfbf|-1",
            "NUL byte|7b007d|1",
            "UTF-16LE brace|7b00|1",
            "lone continuation|41 80|1",
            "bad lead byte ff|ff|0",
            "overlong slash|c0af|0",
            "overlong three-byte|e080af|0",
            "surrogate half|eda080|0",
            "above U+10FFFF|f4908080|0",
            "truncated sequence|41e282|1",
            "continuation missing|c341|0",
    })
    void findsTheFirstByteThatIsNotText(String what, String hex, int expected) {
        byte[] b = hex == null ? new byte[0] : HexFormat.of().parseHex(hex.replace(" ", ""));
        assertEquals(expected, Utf8Text.invalidAt(b), what);
    }

    /** ASCII is checked eight bytes at a time: a bad byte is found at every position, before and after a good one. */
    @Test
    void findsABadByteAtEveryPositionOfLongText() {
        for (int at = 0; at < 24; at++) {
            for (int bad : new int[]{0x00, 0x80, 0xFF}) {
                byte[] b = "abcdefghijklmnopqrstuvwx".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                b[at] = (byte) bad;
                assertEquals(at, Utf8Text.invalidAt(b), "byte " + bad + " at " + at);
            }
            byte[] good = ("x".repeat(at) + "é" + "y".repeat(24 - at)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(-1, Utf8Text.invalidAt(good), "é at " + at);
            good[good.length - 1] = 0;
            assertEquals(good.length - 1, Utf8Text.invalidAt(good), "é at " + at + ", NUL last");
        }
    }

    /** The backslash report: found wherever it is (in an eight-byte block, in the tail, after non-ASCII text). */
    @Test
    void reportsWhetherTheTextHoldsABackslash() {
        assertEquals(Utf8Text.TEXT, Utf8Text.scan("{\"a\":\"no escapes here at all, none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        for (int at = 0; at < 30; at++) {
            String text = "x".repeat(at) + "\\" + "é".repeat(at % 3) + "y".repeat(30 - at);
            byte[] b = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(Utf8Text.TEXT_WITH_BACKSLASH, Utf8Text.scan(b), "backslash at " + at);
            assertEquals(-1, Utf8Text.invalidAt(b), "backslash at " + at);
            b[b.length - 1] = (byte) 0xFF;
            assertEquals(b.length - 1, Utf8Text.scan(b), "backslash at " + at + ", bad byte last");
        }
    }

    /** The eight-at-a-time scan answers as a byte-by-byte reading does, on random mostly-ASCII bytes. */
    @Test
    void agreesWithAByteByByteReadingOnRandomBytes() {
        java.util.Random random = new java.util.Random(22);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                int r = random.nextInt(100);
                b[i] = (byte) (r < 85 ? 0x20 + random.nextInt(0x5F) : r < 88 ? '\\' : r < 90 ? 0 : random.nextInt(256));
            }
            assertEquals(byteByByte(b), Utf8Text.scan(b), HexFormat.of().formatHex(b));
        }
    }

    private static int byteByByte(byte[] b) {
        boolean backslash = false;
        for (int i = 0; i < b.length; ) {
            int c = b[i] & 0xFF;
            if (c == 0) return i;
            if (c < 0x80) {
                backslash |= c == '\\';
                i++;
                continue;
            }
            int len = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
            if (len == 0 || i + len > b.length) return i;
            // the JDK's strict decoder is the reference for one sequence (overlong forms, surrogates, range)
            try {
                java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                        .decode(java.nio.ByteBuffer.wrap(b, i, len));
            } catch (java.nio.charset.CharacterCodingException e) {
                return i;
            }
            i += len;
        }
        return backslash ? Utf8Text.TEXT_WITH_BACKSLASH : Utf8Text.TEXT;
    }
}
