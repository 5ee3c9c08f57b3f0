package io.kwsync.model;

/**
 * Finds UTF-16 surrogates without their partner in Java text. JSON can spell one ({@code "x\ud800y"}), Java keeps it,
 * but UTF-8 cannot encode it: {@code String.getBytes(UTF_8)} silently writes {@code ?} instead, and no destination
 * (MySQL utf8mb4, PostgreSQL UTF8, MaxCompute STRING) can store it. kwsync refuses such text rather than alter it.
 */
public final class LoneSurrogates {

    private LoneSurrogates() {
    }

    /** Index of the first surrogate that is not half of a valid pair, or -1 when there is none. */
    public static int indexIn(CharSequence s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    /** Why {@code s} cannot be stored, e.g. "a lone UTF-16 surrogate \uD800 at character 2", or null when it can. */
    public static String problem(CharSequence s) {
        int at = indexIn(s);
        return at < 0 ? null : "a lone UTF-16 surrogate " + escape(s.charAt(at)) + " at character " + (at + 1)
                + " (an escape without its pair), which UTF-8 cannot encode";
    }

    /** {@code s} with every lone surrogate written as {@code \\uXXXX}, so a message about it stays readable. */
    public static String escaped(String s) {
        if (s == null || indexIn(s) < 0) return s;
        StringBuilder sb = new StringBuilder(s.length() + 8);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                sb.append(c).append(s.charAt(++i));
            } else {
                sb.append(Character.isSurrogate(c) ? escape(c) : String.valueOf(c));
            }
        }
        return sb.toString();
    }

    private static String escape(char c) {
        return String.format("\\u%04X", (int) c);
    }
}
