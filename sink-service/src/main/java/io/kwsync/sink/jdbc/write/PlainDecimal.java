package io.kwsync.sink.jdbc.write;

import java.math.BigDecimal;

/**
 * The fast way through decimal text: most decimals arrive as short plain text ("12345.67"), and the general parser of
 * {@code new BigDecimal(String)} copies the text and handles exponents and signs for each of them.
 */
final class PlainDecimal {

    private PlainDecimal() {
    }

    /**
     * Text of the commonest form, an optional minus, digits, and optionally a point followed by digits, of at most 18
     * digits: the same BigDecimal as {@code new BigDecimal(t)} (same digits, same scale) without the copy and the
     * general parser; null for any other text.
     */
    static BigDecimal parse(String t) {
        int n = t.length();
        int i = n > 0 && t.charAt(0) == '-' ? 1 : 0;
        if (i == n || n - i > 19) return null;
        long unscaled = 0;
        int point = -1;
        for (int k = i; k < n; k++) {
            char c = t.charAt(k);
            if (c >= '0' && c <= '9') {
                unscaled = unscaled * 10 + (c - '0');
            } else if (c == '.' && point < 0 && k > i && k < n - 1) {
                point = k;
            } else {
                return null;
            }
        }
        if (point < 0 && n - i > 18) return null; // 19 digits may not fit a long
        return BigDecimal.valueOf(i == 1 ? -unscaled : unscaled, point < 0 ? 0 : n - point - 1);
    }
}
