package io.kwsync.ingest.schedule;

import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The scheduling parameters of a job, written as the scheduler's parameter box takes them: space-separated
 * {@code name=expression} pairs, e.g.
 * {@code startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24]}. Expressions hold
 * no spaces. Names are letters, digits and underscores, not starting with a digit, and are case-sensitive.
 */
public final class ParameterDefinitions {

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final Map<String, ParameterExpression> expressions;

    private ParameterDefinitions(Map<String, ParameterExpression> expressions) {
        this.expressions = Collections.unmodifiableMap(expressions);
    }

    public static final ParameterDefinitions NONE = new ParameterDefinitions(new LinkedHashMap<>());

    /** @throws ExpressionException naming the pair that is wrong */
    public static ParameterDefinitions parse(String text) {
        Map<String, ParameterExpression> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) return NONE;
        for (String pair : text.strip().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new ExpressionException("'" + pair + "' is not name=expression");
            String name = pair.substring(0, eq);
            if (!NAME.matcher(name).matches()) {
                throw new ExpressionException("'" + name + "' is not a parameter name (letters, digits, _; not starting with a digit)");
            }
            if (out.containsKey(name)) throw new ExpressionException("parameter '" + name + "' is defined twice");
            out.put(name, ParameterExpression.parse(pair.substring(eq + 1)));
        }
        return new ParameterDefinitions(out);
    }

    public Map<String, ParameterExpression> expressions() {
        return expressions;
    }

    /** Every parameter's value for a run scheduled at {@code scheduledTime}, in definition order. */
    public Map<String, String> evaluate(LocalDateTime scheduledTime) {
        Map<String, String> values = new LinkedHashMap<>();
        expressions.forEach((name, e) -> values.put(name, e.evaluate(scheduledTime)));
        return values;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        expressions.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }
}
