package io.kwsync.ingest.schedule;

import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The date-time format of a scheduling field: the elements {@code yyyy yy mm dd hh24 mi ss} (any case), with at most
 * one separator ({@code - : / _ .} or space) between two elements, e.g. {@code yyyymmddhh24mi} or {@code yyyy-mm-dd}.
 * A format starts and ends with an element, so a sign after it always starts an offset. {@code mm} is the month and
 * {@code mi} the minute, as in the scheduler this language comes from.
 */
final class TimeFormat {

    private enum Token {
        YEAR4("yyyy", ChronoUnit.YEARS), YEAR2("yy", ChronoUnit.YEARS), MONTH("mm", ChronoUnit.MONTHS),
        DAY("dd", ChronoUnit.DAYS), HOUR24("hh24", ChronoUnit.HOURS), MINUTE("mi", ChronoUnit.MINUTES),
        SECOND("ss", ChronoUnit.SECONDS);

        final String text;
        final ChronoUnit unit;

        Token(String text, ChronoUnit unit) {
            this.text = text;
            this.unit = unit;
        }
    }

    private static final String SEPARATORS = "-:/_. ";

    /** The format found at the start of a text (null when there is none) and how many characters it takes. */
    record Prefix(TimeFormat format, int length) {
    }

    /** Each element is a Token or a Character separator. */
    private final List<Object> elements;
    private final String text;

    private TimeFormat(String text, List<Object> elements) {
        this.text = text;
        this.elements = elements;
    }

    /** @throws ExpressionException unless all of {@code text} is a format */
    static TimeFormat parse(String text) {
        if (text.isEmpty()) throw new ExpressionException("empty date-time format");
        Prefix p = prefix(text);
        if (p.length() < text.length()) throw problemAt(text, p.length());
        return p.format();
    }

    /** The longest format at the start of {@code text}: a separator is taken only when an element follows it. */
    static Prefix prefix(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<Object> elements = new ArrayList<>();
        int i = 0;
        while (true) {
            Token token = tokenAt(lower, i);
            if (token == null) break;
            elements.add(token);
            i += token.text.length();
            if (i + 1 < lower.length() && SEPARATORS.indexOf(lower.charAt(i)) >= 0 && tokenAt(lower, i + 1) != null) {
                elements.add(lower.charAt(i));
                i++;
            }
        }
        return elements.isEmpty() ? new Prefix(null, 0) : new Prefix(new TimeFormat(text.substring(0, i), List.copyOf(elements)), i);
    }

    /** Why {@code text} stops being a format at {@code at}. */
    static ExpressionException problemAt(String text, int at) {
        if (text.chars().noneMatch(Character::isLetter)) {
            return new ExpressionException("date-time format '" + text + "' has no yyyy, mm, dd, hh24, mi or ss");
        }
        int j = at;
        while (j < text.length() && SEPARATORS.indexOf(text.charAt(j)) >= 0) j++;
        if (j == text.length()) {
            return new ExpressionException("date-time format '" + text + "' ends with a separator; separators go between elements");
        }
        if (j - at > 1 || j > at && at == 0) {
            return new ExpressionException("date-time format '" + text + "' has a separator where an element (yyyy, mm, dd, "
                    + "hh24, mi, ss) should be; at most one separator goes between two elements");
        }
        String hint = text.toLowerCase(Locale.ROOT).startsWith("hh", j) ? " (write the hour as hh24)" : "";
        return new ExpressionException("unknown date-time format element at '" + text.substring(j) + "' in '" + text
                + "'; use yyyy, yy, mm, dd, hh24, mi, ss and the separators " + SEPARATORS + hint);
    }

    private static Token tokenAt(String s, int i) {
        for (Token t : Token.values()) { // yyyy before yy, hh24 only as a whole
            if (s.startsWith(t.text, i)) return t;
        }
        return null;
    }

    boolean hasTimeOfDay() {
        return smallestUnit().compareTo(ChronoUnit.DAYS) < 0;
    }

    /** The unit of the format's finest element: years for {@code yyyy}, months for {@code yyyymm}, days for {@code yyyymmdd}. */
    ChronoUnit smallestUnit() {
        ChronoUnit smallest = ChronoUnit.YEARS;
        for (Object e : elements) {
            if (e instanceof Token t && t.unit.compareTo(smallest) < 0) smallest = t.unit;
        }
        return smallest;
    }

    /** @param t a time whose year is 1 to 9999 (callers check, so that every value is a valid date in its format) */
    String format(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(16);
        for (Object e : elements) {
            if (e instanceof Character c) {
                sb.append(c.charValue());
                continue;
            }
            switch ((Token) e) {
                case YEAR4 -> pad(sb, t.getYear(), 4);
                case YEAR2 -> pad(sb, t.getYear() % 100, 2);
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
