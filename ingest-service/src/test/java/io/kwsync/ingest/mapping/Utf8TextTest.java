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
}
