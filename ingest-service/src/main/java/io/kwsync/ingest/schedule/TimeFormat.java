package io.kwsync.ingest.schedule;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The date-time format of a scheduling field: the tokens {@code yyyy yy mm dd hh24 mi ss} (any case) and the
 * separators {@code - : / _ .} and space, e.g. {@code yyyymmddhh24mi} or {@code yyyy-mm-dd}. {@code mm} is the month and
 * {@code mi} the minute, as in the scheduler this language comes from.
 */
final class TimeFormat {

    private enum Token {
        YEAR4("yyyy"), YEAR2("yy"), MONTH("mm"), DAY("dd"), HOUR24("hh24"), MINUTE("mi"), SECOND("ss");

        final String text;

        Token(String text) {
            this.text = text;
        }

        boolean isTime() {
            return this == HOUR24 || this == MINUTE || this == SECOND;
        }
    }

    private static final String SEPARATORS = "-:/_. ";

    /** Each element is a Token or a Character separator. */
    private final List<Object> elements;
    private final String text;

    private TimeFormat(String text, List<Object> elements) {
        this.text = text;
        this.elements = elements;
    }

    static TimeFormat parse(String text) {
        if (text.isEmpty()) throw new ExpressionException("empty date-time format");
        String lower = text.toLowerCase(Locale.ROOT);
        List<Object> elements = new ArrayList<>();
        int i = 0;
        while (i < lower.length()) {
            char c = lower.charAt(i);
            if (SEPARATORS.indexOf(c) >= 0) {
                elements.add(c);
                i++;
                continue;
            }
            Token token = tokenAt(lower, i);
            if (token == null) {
                String hint = lower.startsWith("hh", i) ? " (write the hour as hh24)" : "";
                throw new ExpressionException("unknown date-time format element at '" + text.substring(i) + "' in '" + text
                        + "'; use yyyy, yy, mm, dd, hh24, mi, ss and the separators " + SEPARATORS + hint);
            }
            elements.add(token);
            i += token.text.length();
        }
        if (elements.stream().noneMatch(e -> e instanceof Token)) {
            throw new ExpressionException("date-time format '" + text + "' has no yyyy, mm, dd, hh24, mi or ss");
        }
        return new TimeFormat(text, List.copyOf(elements));
    }

    private static Token tokenAt(String s, int i) {
        for (Token t : Token.values()) { // yyyy before yy, hh24 only as a whole
            if (s.startsWith(t.text, i)) return t;
        }
        return null;
    }

    boolean hasTimeOfDay() {
        return elements.stream().anyMatch(e -> e instanceof Token t && t.isTime());
    }

    String format(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(16);
        for (Object e : elements) {
            if (e instanceof Character c) {
                sb.append(c.charValue());
                continue;
            }
            switch ((Token) e) {
                case YEAR4 -> pad(sb, t.getYear(), 4);
                case YEAR2 -> pad(sb, Math.floorMod(t.getYear(), 100), 2);
                case MONTH -> pad(sb, t.getMonthValue(), 2);
                case DAY -> pad(sb, t.getDayOfMonth(), 2);
                case HOUR24 -> pad(sb, t.getHour(), 2);
                case MINUTE -> pad(sb, t.getMinute(), 2);
                case SECOND -> pad(sb, t.getSecond(), 2);
            }
        }
        return sb.toString();
    }

    private static void pad(StringBuilder sb, int v, int width) {
        String s = Integer.toString(v);
        for (int i = s.length(); i < width; i++) sb.append('0');
        sb.append(s);
    }

    @Override
    public String toString() {
        return text;
    }
}
