package io.kwsync.ingest.mapping;

/**
 * Tells text from binary: messages are UTF-8 text (the AnalyticDB connector: "binary data is not supported").
 * Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF), and no NUL byte: JSON never holds one
 * unescaped, while UTF-16 or UTF-32 text (which a JSON parser would otherwise detect and accept) is full of them.
 */
public final class Utf8Text {

    private Utf8Text() {
    }

    /** Index of the first byte that is not part of valid NUL-free UTF-8 text, or -1 when all of it is. */
    public static int invalidAt(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i];
            if (c > 0) { // ASCII fast path
                i++;
                continue;
            }
            if (c == 0) return i;
            c &= 0xFF;
            int len;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                len = 2;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                len = 3;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                len = 4;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + len > n) return i;
            int cp = c & (0xFF >> (len + 1));
            for (int k = 1; k < len; k++) {
                int cont = b[i + k] & 0xFF;
                if ((cont & 0xC0) != 0x80) return i;
                cp = (cp << 6) | (cont & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
            i += len;
        }
        return -1;
    }

    /** Why the bytes are not text, e.g. "byte 0xFF at position 3 is not UTF-8", or null when they are text. */
    public static String problem(byte[] b) {
        int at = invalidAt(b);
        if (at < 0) return null;
        if (b[at] == 0) return "NUL byte at position " + at;
        return String.format("byte 0x%02X at position %d is not UTF-8", b[at] & 0xFF, at);
    }
}
