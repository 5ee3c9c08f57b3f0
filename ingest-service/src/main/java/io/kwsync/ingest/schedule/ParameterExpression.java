package io.kwsync.ingest.schedule;

import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of one scheduling parameter: literal text mixed with time fields and built-ins, evaluated against the
 * run's <em>scheduled time</em> (the slot it was planned for, in the job's time zone; never the time it actually ran,
 * so a rerun gets the same values). Pure and immutable.
 *
 * <ul>
 *   <li>{@code $[format]} the scheduled time, e.g. {@code $[yyyymmddhh24mi]} -> 202211221005.</li>
 *   <li>{@code $[format-N]}, {@code $[format+N]} N days earlier/later, whatever the format ({@code $[yyyymm-1]} is the
 *       month of the day before); {@code 7*N} is N weeks, {@code N/24} N hours, {@code N/24/60} N minutes,
 *       {@code N/24/60/60} N seconds (any divisors, as long as the result is a whole number of seconds).</li>
 *   <li>{@code $[add_months(format,N)]} N months away (negative: back; {@code 12*N} is N years); the day of month is
 *       kept, or becomes the last day of a shorter month (2022-03-31 minus one month is 2022-02-28).</li>
 *   <li>{@code ${format}}, {@code ${format-N}} the business date, the day before the scheduled date, at day precision
 *       ({@code yyyy yy mm dd} only). N counts units of the format's smallest element: years for {@code ${yyyy-1}},
 *       months for {@code ${yyyymm-1}}, days for {@code ${yyyymmdd-1}} and {@code ${yyyymmdd-7*N}}.</li>
 *   <li>Built-ins: {@code $bizdate} is {@code ${yyyymmdd}}; {@code $cyctime} is {@code $[yyyymmddhh24miss]};
 *       {@code $gmtdate} is the scheduled date {@code $[yyyymmdd]}; {@code $bizmonth} is the business date's month
 *       ({@code yyyymm}), or the month before it when the business date is in the scheduled date's month;
 *       {@code $jobid} is the job's name. A {@code $} followed by a letter always names a built-in: any other name,
 *       and the ones kwsync cannot give a meaning ({@code $nodeid}, {@code $taskid}), are refused.</li>
 *   <li>Other text is copied: {@code $[yyyymmddhh24-1/24]0000} appends "0000". Brackets and braces outside an
 *       expression are refused, so that a typo such as {@code $[yyyymmdd]]} never becomes part of a value.</li>
 * </ul>
 *
 * <p>Arithmetic is on the wall clock of the time zone (a day is a calendar day, an hour one hour of the local
 * clock), so values are the same whatever the zone's daylight-saving rules; {@link WindowTime} turns a resulting
 * window boundary into an instant. A result outside the years 0001-9999 is an error, never a value.
 */
public final class ParameterExpression {

    private static final Pattern ADD_MONTHS = Pattern.compile("(?i)add_months\\(\\s*([^,()]*?)\\s*,\\s*([^,()]*?)\\s*\\)");
    private static final TimeFormat DATE = TimeFormat.parse("yyyymmdd");
    private static final TimeFormat MONTH = TimeFormat.parse("yyyymm");
    private static final TimeFormat DATE_TIME = TimeFormat.parse("yyyymmddhh24miss");
    private static final String BUILTINS = "$bizdate, $cyctime, $gmtdate, $bizmonth and $jobid";
    private static final Map<String, String> REFUSED = Map.of(
            "nodeid", "the id of a node inside a DataWorks workflow; a kwsync job has no nodes (use $jobid, the job's name)",
            "taskid", "the id of a run instance; kwsync gives every attempt its own run id, so a value built from it would "
                    + "change on a rerun, which then would not replace the same partition");

    private sealed interface Part permits Literal, Field, BizMonth, JobId {
    }

    private record Literal(String text) implements Part {
    }

    /** A time field: the scheduled time (or the business date) moved by {@code amount} {@code unit}s, then formatted. */
    private record Field(TimeFormat format, boolean businessDate, long amount, ChronoUnit unit) implements Part {
    }

    private record BizMonth() implements Part {
    }

    private record JobId() implements Part {
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
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c == '$' && (next == '[' || next == '{')) {
                char close = next == '[' ? ']' : '}';
                int end = text.indexOf(close, i + 2);
                if (end < 0) throw new ExpressionException("'" + text + "': '" + c + next + "' at position " + i + " is not closed by '" + close + "'");
                flush(literal, parts);
                String body = text.substring(i + 2, end).strip();
                try {
                    parts.add(close == ']' ? scheduledField(body) : businessField(body));
                } catch (ExpressionException e) {
                    throw new ExpressionException("'" + text + "': " + e.getMessage());
                }
                i = end + 1;
            } else if (c == '$' && isAsciiLetter(next)) {
                int end = i + 1;
                while (end < text.length() && (isAsciiLetter(text.charAt(end)) || Character.isDigit(text.charAt(end)) || text.charAt(end) == '_')) end++;
                flush(literal, parts);
                parts.add(builtin(text, text.substring(i + 1, end)));
                i = end;
            } else if ("[]{}".indexOf(c) >= 0) {
                throw new ExpressionException("'" + text + "': '" + c + "' at position " + i
                        + " is not part of an expression $[...] or ${...}");
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, parts);
        return new ParameterExpression(text, List.copyOf(parts));
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static Part builtin(String text, String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return switch (key) {
            case "bizdate" -> new Field(DATE, true, 0, ChronoUnit.DAYS);
            case "cyctime" -> new Field(DATE_TIME, false, 0, ChronoUnit.SECONDS);
            case "gmtdate" -> new Field(DATE, false, 0, ChronoUnit.SECONDS);
            case "bizmonth" -> new BizMonth();
            case "jobid" -> new JobId();
            default -> throw new ExpressionException("'" + text + "': " + (REFUSED.containsKey(key)
                    ? "the built-in parameter $" + name + " is not supported: it is " + REFUSED.get(key)
                    : "$" + name + " is not a built-in parameter; a '$' followed by a letter names one of " + BUILTINS));
        };
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
            TimeFormat format = TimeFormat.parse(addMonths.group(1));
            return new Field(format, false, Offset.months(addMonths.group(2), body), ChronoUnit.MONTHS);
        }
        if (body.toLowerCase(Locale.ROOT).startsWith("add_months")) {
            throw new ExpressionException("'" + body + "' is not of the form add_months(format,N), e.g. add_months(yyyymmdd,-1)");
        }
        TimeFormat.Prefix p = split(body);
        String offset = body.substring(p.length());
        return new Field(p.format(), false, offset.isEmpty() ? 0 : Offset.seconds(offset, body), ChronoUnit.SECONDS);
    }

    private static Field businessField(String body) {
        if (body.toLowerCase(Locale.ROOT).startsWith("add_months")) {
            throw new ExpressionException("${" + body + "}: add_months works on the scheduled time, $[add_months(...)]; "
                    + "in ${...} write the months as an offset, e.g. ${yyyymm-1}");
        }
        TimeFormat.Prefix p = split(body);
        if (p.format().hasTimeOfDay()) {
            throw new ExpressionException("${" + body + "} is a business date (day precision): hh24, mi and ss are only "
                    + "available in $[...], the scheduled time");
        }
        String offset = body.substring(p.length());
        ChronoUnit unit = p.format().smallestUnit();
        return new Field(p.format(), true, offset.isEmpty() ? 0 : Offset.units(offset, body, unit), unit);
    }

    /** The format at the start of {@code body}; what follows it must be an offset. */
    private static TimeFormat.Prefix split(String body) {
        if (body.isEmpty()) throw new ExpressionException("empty date-time format");
        TimeFormat.Prefix p = TimeFormat.prefix(body);
        String rest = body.substring(p.length());
        if (p.format() == null || !rest.isEmpty() && !Offset.looksLikeOne(rest)) throw TimeFormat.problemAt(body, p.length());
        return p;
    }

    /**
     * The value for a run scheduled at {@code scheduledTime} (local time of the job's zone), for expressions that do not
     * use {@code $jobid}.
     *
     * @throws ExpressionException when a time falls outside the years 0001-9999 or {@code $jobid} is used
     */
    public String evaluate(LocalDateTime scheduledTime) {
        return evaluate(scheduledTime, null);
    }

    /**
     * The value for a run of the job {@code jobId} scheduled at {@code scheduledTime} (local time of the job's zone).
     *
     * @throws ExpressionException when a time falls outside the years 0001-9999, or {@code $jobid} is used and
     *                             {@code jobId} is null
     */
    public String evaluate(LocalDateTime scheduledTime, String jobId) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                sb.append(l.text());
            } else if (p instanceof Field f) {
                LocalDateTime base = f.businessDate() ? businessDate(scheduledTime) : scheduledTime;
                sb.append(f.format().format(inRange(base.plus(f.amount(), f.unit()), scheduledTime)));
            } else if (p instanceof BizMonth) {
                sb.append(MONTH.format(inRange(bizMonth(scheduledTime), scheduledTime)));
            } else {
                if (jobId == null) throw new ExpressionException("'" + source + "': $jobid has no value here (no job name was given)");
                sb.append(jobId);
            }
        }
        return sb.toString();
    }

    private static LocalDateTime businessDate(LocalDateTime scheduledTime) {
        return scheduledTime.toLocalDate().minusDays(1).atStartOfDay();
    }

    /** The business date's month when the scheduled date is in another month, else the month before it. */
    private static LocalDateTime bizMonth(LocalDateTime scheduledTime) {
        YearMonth business = YearMonth.from(businessDate(scheduledTime));
        YearMonth current = YearMonth.from(scheduledTime);
        return (business.equals(current) ? business.minusMonths(1) : business).atDay(1).atStartOfDay();
    }

    private LocalDateTime inRange(LocalDateTime t, LocalDateTime scheduledTime) {
        if (t.getYear() < 1 || t.getYear() > 9999) {
            throw new ExpressionException("'" + source + "' for the scheduled time " + scheduledTime + " falls in the year "
                    + t.getYear() + ", outside 0001-9999, so it is no valid date");
        }
        return t;
    }

    /** True when the value does not depend on the run (a constant). */
    public boolean isConstant() {
        return parts.stream().allMatch(p -> p instanceof Literal);
    }

    @Override
    public String toString() {
        return source;
    }
}
