package io.kwsync.sink.jdbc.write;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PlainDecimalTest {

    /** Whatever it parses equals what BigDecimal's own parser gives, digits and scale alike. */
    @Test
    void parsesPlainTextAsBigDecimalDoes() {
        Random random = new Random(11);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder sb = new StringBuilder();
            if (random.nextBoolean()) sb.append('-');
            int digits = 1 + random.nextInt(18);
            int point = random.nextInt(3) == 0 ? -1 : random.nextInt(digits);
            for (int k = 0; k < digits; k++) {
                if (k == point && k > 0) sb.append('.');
                sb.append((char) ('0' + random.nextInt(10)));
            }
            String text = sb.toString();
            BigDecimal expected = new BigDecimal(text);
            BigDecimal parsed = PlainDecimal.parse(text);
            assertEquals(expected, parsed, text); // BigDecimal.equals compares the scale too
        }
        assertEquals(new BigDecimal("999999999999999999"), PlainDecimal.parse("999999999999999999"));
        assertEquals(new BigDecimal("-99999999999999999.9"), PlainDecimal.parse("-99999999999999999.9"));
        assertEquals(new BigDecimal("-0.00"), PlainDecimal.parse("-0.00"));
        assertEquals(new BigDecimal("007"), PlainDecimal.parse("007"));
    }

    /** Everything else goes to the general parser, which accepts or refuses it. */
    @Test
    void leavesEveryOtherFormToTheGeneralParser() {
        for (String t : new String[]{"", "-", ".5", "5.", "1.2.3", "+5", "1e3", "1E+3", " 1", "1 ", "--1", "1-", "0x10",
                "١٢", "1234567890123456789", "-1234567890123456789", "12345678901234567.89", "NaN"}) {
            assertNull(PlainDecimal.parse(t), t);
        }
    }
}
