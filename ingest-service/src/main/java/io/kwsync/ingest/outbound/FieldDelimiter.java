package io.kwsync.ingest.outbound;

/**
 * The field delimiter of text values (fieldDelimiter) as an operator writes it: one or more characters, with the
 * escapes {@code \t \n \r \f \b \0 \\} and a backslash, u and four hex digits (so the character 0x01, a
 * common delimiter of Hive-style text, can be written in an environment variable as backslash-u0001). Pure.
 */
public final class FieldDelimiter {

    /** DataWorks' default: a tab. */
    public static final String DEFAULT = "\t";

    private FieldDelimiter() {
    }

    /**
     * @throws IllegalArgumentException for an unknown or cut escape, or an empty result, with the reason
     */
    public static String parse(String written) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (i + 1 >= written.length()) throw new IllegalArgumentException("'" + written + "' ends with a lone backslash");
            char e = written.charAt(++i);
            switch (e) {
                case 't' -> sb.append('\t');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 'f' -> sb.append('\f');
                case 'b' -> sb.append('\b');
                case '0' -> sb.append('\0');
                case '\\' -> sb.append('\\');
                case 'u' -> {
                    if (i + 4 >= written.length()) {
                        throw new IllegalArgumentException("'" + written + "': \\u needs four hex digits");
                    }
                    String hex = written.substring(i + 1, i + 5);
                    if (!hex.matches("[0-9A-Fa-f]{4}")) {
                        throw new IllegalArgumentException("'" + written + "': \\u" + hex + " is not \\u and four hex digits");
                    }
                    sb.append((char) Integer.parseInt(hex, 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("'" + written + "': \\" + e
                        + " is not an escape (use \\t \\n \\r \\f \\b \\0 \\\\ or \\uXXXX)");
            }
        }
        if (sb.isEmpty()) throw new IllegalArgumentException("is empty: a delimiter has at least one character");
        return sb.toString();
    }
}
