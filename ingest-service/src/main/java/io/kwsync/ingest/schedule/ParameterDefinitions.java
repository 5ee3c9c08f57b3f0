package io.kwsync.ingest.schedule;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scheduling parameters of a job, written as the scheduler's parameter box takes them: {@code name=expression}
 * pairs separated by spaces, e.g.
 * {@code startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24]}. Because spaces
 * separate the pairs, an expression holds no space (and no {@code =}); a value with a space in it is made of two
 * parameters joined where they are used ({@code ${day} ${time}}). Names are letters, digits and underscores, not
 * starting with a digit, and are case-sensitive.
 */
public final class ParameterDefinitions {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern PAIR = Pattern.compile("\\S+");

    private final Map<String, ParameterExpression> expressions;

    private ParameterDefinitions(Map<String, ParameterExpression> expressions) {
        this.expressions = Collections.unmodifiableMap(expressions);
    }

    public static final ParameterDefinitions NONE = new ParameterDefinitions(new LinkedHashMap<>());

    /** @throws ExpressionException naming the pair that is wrong */
    public static ParameterDefinitions parse(String text) {
        Map<String, ParameterExpression> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) return NONE;
        Matcher m = PAIR.matcher(text);
        while (m.find()) {
            String pair = m.group();
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new ExpressionException("'" + pair + "' is not name=expression");
            String name = pair.substring(0, eq);
            if (!NAME.matcher(name).matches()) {
                throw new ExpressionException("'" + name + "' is not a parameter name (letters, digits, _; not starting with a digit)");
            }
            if (out.containsKey(name)) throw new ExpressionException("parameter '" + name + "' is defined twice");
            String expression = pair.substring(eq + 1);
            refuseSpaceInside(text, m.end(), pair, expression);
            if (expression.indexOf('=') >= 0) {
                throw new ExpressionException("'" + pair + "': an expression cannot contain '='; write one name=expression per parameter");
            }
            out.put(name, ParameterExpression.parse(expression));
        }
        return new ParameterDefinitions(out);
    }

    /** An expression left open whose closing bracket comes after a space was cut in two by that space: say so. */
    private static void refuseSpaceInside(String text, int pairEnd, String pair, String expression) {
        int open = Math.max(expression.lastIndexOf("$["), expression.lastIndexOf("${"));
        if (open < 0) return;
        char close = expression.charAt(open + 1) == '[' ? ']' : '}';
        if (expression.indexOf(close, open) >= 0) return;
        int closeAt = text.indexOf(close, pairEnd);
        if (closeAt < 0) return; // simply not closed: the expression's own error says so
        String meant = pair + text.substring(pairEnd, closeAt + 1);
        throw new ExpressionException("'" + meant + "': spaces separate the name=expression pairs, so an expression cannot "
                + "contain a space (this reads as '" + pair + "' followed by '" + text.substring(pairEnd, closeAt + 1).strip()
                + "'); make the parts two parameters, e.g. day=$[yyyy-mm-dd] time=$[hh24:mi:ss], and join them where they are "
                + "used: '${day} ${time}'");
    }

    public Map<String, ParameterExpression> expressions() {
        return expressions;
    }

    /**
     * Every parameter's value for a run scheduled at {@code scheduledTime}, in definition order; for definitions that do
     * not use {@code $jobid}.
     *
     * @throws ExpressionException naming the parameter whose value cannot be computed
     */
    public Map<String, String> evaluate(LocalDateTime scheduledTime) {
        return evaluate(scheduledTime, null);
    }

    /**
     * Every parameter's value for a run of the job named {@code jobId} ({@code $jobid}) scheduled at
     * {@code scheduledTime}, in definition order.
     *
     * @throws ExpressionException naming the parameter whose value cannot be computed
     */
    public Map<String, String> evaluate(LocalDateTime scheduledTime, String jobId) {
        Map<String, String> values = new LinkedHashMap<>();
        expressions.forEach((name, e) -> {
            try {
                values.put(name, e.evaluate(scheduledTime, jobId));
            } catch (ExpressionException ex) {
                throw new ExpressionException("parameter '" + name + "': " + ex.getMessage());
            }
        });
        return values;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        expressions.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }
}
