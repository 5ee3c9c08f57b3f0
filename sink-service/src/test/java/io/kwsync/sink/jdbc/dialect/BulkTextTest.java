package io.kwsync.sink.jdbc.dialect;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BulkTextTest {

    @Test
    void fieldsAreTabSeparatedRowsEndWithANewlineAndSpecialCharactersAreEscaped() {
        BulkText t = new BulkText(true);
        t.ascii("1");
        t.text("a\tb\nc\rd\\e\u0000f");
        t.nullField();
        t.text("\\N");
        t.endRow();
        t.text("ünï 😀\t");
        t.text("");
        t.endRow();
        assertEquals("1\ta\\tb\\nc\\rd\\\\e\\0f\t\\N\t\\\\N\nünï 😀\\t\t\n", t.toString());
        assertEquals(2, t.rows());
        assertEquals(t.toString().getBytes(StandardCharsets.UTF_8).length, t.size());
    }

    @Test
    void postgresKeepsNulForTheDatabaseToRefuseAndBytesAreHex() {
        BulkText t = new BulkText(false);
        t.text("a\u0000");
        t.hex(new byte[]{0, 10, (byte) 0xff});
        t.endRow();
        assertEquals("a\u0000\t\\\\x000aff\n", t.toString());
    }

    @Test
    void growsPastItsFirstBufferAndResets() {
        BulkText t = new BulkText(true);
        String wide = "x\t".repeat(50_000);
        t.text(wide);
        t.endRow();
        assertEquals(wide.replace("\t", "\\t") + "\n", t.toString());
        t.reset();
        assertEquals(0, t.size());
        assertEquals(0, t.rows());
        t.ascii("7");
        t.endRow();
        assertEquals("7\n", t.toString());
    }

    /** ASCII is written char by char; a value that turns out not to be ASCII is rewritten from its UTF-8 bytes. */
    @Test
    void aValueEscapedAsAsciiAndThenFoundToBeUnicodeIsWrittenOnce() {
        BulkText t = new BulkText(true);
        t.text("a\tb\\c");
        t.text("x\ty\u0000é\n");
        t.text("plain");
        t.endRow();
        assertEquals("a\\tb\\\\c\tx\\ty\\0é\\n\tplain\n", t.toString());
        assertEquals(t.toString().getBytes(StandardCharsets.UTF_8).length, t.size());
    }

    /** Text is scanned eight bytes at a time: an escape is found wherever it sits, and nothing else is escaped. */
    @Test
    void everyEscapeIsFoundWhereverItSits() {
        Random random = new Random(42);
        BulkText mysql = new BulkText(true);
        BulkText postgres = new BulkText(false);
        char[] alphabet = {'a', 'Z', '5', ' ', '?', '\\', '\t', '\n', '\r', '\u0000', '\u0001', '\u000b', '\u001f', '\u007f',
                'é', '€', '\u5c5c', '\u0e0e'};
        for (int n = 0; n < 2_000; n++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(40);
            for (int k = 0; k < length; k++) {
                sb.append(random.nextInt(4) == 0 ? alphabet[random.nextInt(alphabet.length)] : (char) ('a' + random.nextInt(26)));
            }
            String value = sb.toString();
            for (boolean escapeNul : new boolean[]{true, false}) {
                BulkText t = escapeNul ? mysql : postgres;
                t.reset();
                t.text(value);
                String expected = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
                if (escapeNul) expected = expected.replace("\u0000", "\\0");
                assertEquals(expected, t.toString(), value);
            }
        }
    }

    /** Integers and decimals of up to 18 digits are written from their digits: the same text as toPlainString. */
    @Test
    void numbersAreWrittenAsTheirPlainText() {
        Random random = new Random(7);
        List<BigDecimal> values = new ArrayList<>(List.of(BigDecimal.ZERO, new BigDecimal("0.00"), new BigDecimal("-0.05"),
                new BigDecimal("123.4"), new BigDecimal("-999999999999999999"), new BigDecimal("0.000000000000000001"),
                BigDecimal.valueOf(Long.MAX_VALUE, 0), BigDecimal.valueOf(Long.MIN_VALUE, 3)));
        for (int n = 0; n < 20_000; n++) {
            long unscaled = random.nextLong() >> random.nextInt(64);
            values.add(BigDecimal.valueOf(unscaled, random.nextInt(20)));
        }
        BulkText t = new BulkText(true);
        for (BigDecimal d : values) {
            t.reset();
            t.decimal(d.unscaledValue().longValueExact(), d.scale());
            assertEquals(d.toPlainString(), t.toString(), d::toString);
            t.reset();
            t.integer(d.unscaledValue().longValueExact());
            assertEquals(d.unscaledValue().toString(), t.toString());
            t.reset();
            assertTrue(BulkLoader.appendNumber(t, d));
            assertEquals(d.toPlainString(), t.toString(), () -> "appendNumber " + d);
        }
        t.reset();
        assertTrue(BulkLoader.appendNumber(t, new BigDecimal("1E+3")));
        assertTrue(BulkLoader.appendNumber(t, new BigDecimal("12345678901234567890.5")));
        t.integer(-7);
        t.endRow();
        assertEquals("1000\t12345678901234567890.5\t-7\n", t.toString());
    }
}
