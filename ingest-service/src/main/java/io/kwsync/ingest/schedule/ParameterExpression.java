package io.kwsync.ingest.schedule;

import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of one scheduling parameter: literal text mixed with time fields, evaluated against the run's
 * <em>scheduled time</em> (the slot it was planned for, in the job's time zone; never the time it actually ran, so a
 * rerun gets the same values). Pure and immutable.
 *
 * <ul>
 *   <li>{@code $[format]} the scheduled time, e.g. {@code $[yyyymmddhh24mi]} -> 202211221005.</li>
 *   <li>{@code $[format-N]}, {@code $[format+N]} N days earlier/later; {@code N/24} is N hours, {@code N/24/60} N
 *       minutes, {@code N/24/60/60} N seconds (any divisors, as long as the result is a whole number of seconds):
 *       {@code $[yyyymmddhh24mi-8/24/60]} is eight minutes before the scheduled time.</li>
 *   <li>{@code $[add_months(format,N)]} N months away (negative: back); the day of month is kept, or becomes the last
 *       day of a shorter month (2022-03-31 minus one month is 2022-02-28).</li>
 *   <li>{@code ${format}}, {@code ${format-N}} the business date: the day before the scheduled date, at day precision
 *       ({@code yyyy yy mm dd} only), N days earlier/later.</li>
 *   <li>{@code $bizdate} is {@code ${yyyymmdd}}; {@code $cyctime} is {@code $[yyyymmddhh24miss]}.</li>
 *   <li>Anything else is copied as it is: {@code $[yyyymmddhh24-1/24]0000} appends "0000".</li>
 * </ul>
 *
 * <p>Arithmetic is on the wall clock of the time zone (a day is a calendar day, an hour one hour of the local
 * clock), so values are the same whatever the zone's daylight-saving rules; {@link WindowTime} turns a resulting
 * window boundary into an instant.
 */
public final class ParameterExpression {

    private static final Pattern OFFSET = Pattern.compile("([+-])(\\d{1,9})((?:/\\d{1,9})*)$");
    private static final Pattern ADD_MONTHS = Pattern.compile("(?i)add_months\\((.*),\\s*([+-]?\\d{1,6})\\s*\\)");
    private static final long SECONDS_PER_DAY = 86_400;

    private sealed interface Part permits Literal, Field {
    }

    private record Literal(String text) implements Part {
    }

    /** A time field: scheduled time (or business date) shifted by seconds and months, then formatted. */
    private record Field(TimeFormat format, boolean businessDate, long offsetSeconds, int offsetMonths) implements Part {
    }

    private final String source;
    private final List<Part> parts;

    private ParameterExpression(String source, List<Part> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** @throws ExpressionException naming what is wrong and where */
    public static ParameterExpression parse(String text) {
        if (text == null) throw new ExpressionException("parameter expression is missing");
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && (text.charAt(i + 1) == '[' || text.charAt(i + 1) == '{')) {
                char close = text.charAt(i + 1) == '[' ? ']' : '}';
                int end = text.indexOf(close, i + 2);
                if (end < 0) throw new ExpressionException("'" + text + "': '" + text.substring(i, i + 2) + "' at position " + i + " is not closed by '" + close + "'");
                flush(literal, parts);
                String body = text.substring(i + 2, end).strip();
                try {
                    parts.add(close == ']' ? scheduledField(body) : businessField(body));
                } catch (ExpressionException e) {
                    throw new ExpressionException("'" + text + "': " + e.getMessage());
                }
                i = end + 1;
            } else if (c == '$' && builtin(text, i, "$bizdate")) {
                flush(literal, parts);
                parts.add(new Field(TimeFormat.parse("yyyymmdd"), true, 0, 0));
                i += "$bizdate".length();
            } else if (c == '$' && builtin(text, i, "$cyctime")) {
                flush(literal, parts);
                parts.add(new Field(TimeFormat.parse("yyyymmddhh24miss"), false, 0, 0));
                i += "$cyctime".length();
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, parts);
        return new ParameterExpression(text, List.copyOf(parts));
    }

    private static boolean builtin(String text, int i, String name) {
        int end = i + name.length();
        return text.regionMatches(true, i, name, 0, name.length())
                && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)) && text.charAt(end) != '_');
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    private static Field scheduledField(String body) {
        Matcher addMonths = ADD_MONTHS.matcher(body);
        if (addMonths.matches()) {
            TimeFormat format = TimeFormat.parse(addMonths.group(1).strip());
            return new Field(format, false, 0, Integer.parseInt(addMonths.group(2)));
        }
        if (body.toLowerCase(Locale.ROOT).startsWith("add_months")) {
            throw new ExpressionException("'" + body + "' is not of the form add_months(format,N), e.g. add_months(yyyymmdd,-1)");
        }
        Matcher m = OFFSET.matcher(body);
        if (!m.find()) return new Field(TimeFormat.parse(body), false, 0, 0);
        long seconds = offsetSeconds(m, body);
        return new Field(TimeFormat.parse(body.substring(0, m.start()).strip()), false, seconds, 0);
    }

    private static Field businessField(String body) {
        Matcher m = OFFSET.matcher(body);
        String formatText = body;
        long seconds = 0;
        if (m.find()) {
            if (!m.group(3).isEmpty()) {
                throw new ExpressionException("${" + body + "} is a business date: offsets are whole days; "
                        + "use $[...] (the scheduled time) for hours and minutes");
            }
            seconds = offsetSeconds(m, body);
            formatText = body.substring(0, m.start()).strip();
        }
        TimeFormat format = TimeFormat.parse(formatText);
        if (format.hasTimeOfDay()) {
            throw new ExpressionException("${" + body + "} is a business date (day precision): hh24, mi and ss are only "
                    + "available in $[...], the scheduled time");
        }
        return new Field(format, true, seconds, 0);
    }

    /** N/d1/d2... days as seconds; must come out whole. */
    private static long offsetSeconds(Matcher m, String body) {
        BigInteger numerator = BigInteger.valueOf(Long.parseLong(m.group(2))).multiply(BigInteger.valueOf(SECONDS_PER_DAY));
        BigInteger denominator = BigInteger.ONE;
        if (!m.group(3).isEmpty()) {
            for (String d : m.group(3).substring(1).split("/")) {
                long div = Long.parseLong(d);
                if (div == 0) throw new ExpressionException("'" + body + "' divides by zero");
                denominator = denominator.multiply(BigInteger.valueOf(div));
            }
        }
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        if (qr[1].signum() != 0) {
            throw new ExpressionException("offset '" + m.group() + "' in '" + body + "' is not a whole number of seconds");
        }
        long seconds = qr[0].longValueExact();
        return m.group(1).equals("-") ? -seconds : seconds;
    }

    /** The value for a run scheduled at {@code scheduledTime} (local time of the job's zone). */
    public String evaluate(LocalDateTime scheduledTime) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                sb.append(l.text());
            } else {
                Field f = (Field) p;
                LocalDateTime base = f.businessDate() ? scheduledTime.toLocalDate().minusDays(1).atStartOfDay() : scheduledTime;
                sb.append(f.format().format(base.plusMonths(f.offsetMonths()).plusSeconds(f.offsetSeconds())));
            }
        }
        return sb.toString();
    }

    /** True when the value does not depend on the scheduled time (a constant). */
    public boolean isConstant() {
        return parts.stream().allMatch(p -> p instanceof Literal);
    }

    @Override
    public String toString() {
        return source;
    }
}
