package io.kwsync.ingest.schedule;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job setting that refers to scheduling parameters, e.g. {@code ds=${partition}} or {@code ${startTime}}: each
 * {@code ${name}} is replaced by the parameter's value for the run. Any other text, including a lone {@code $}, is kept.
 */
public final class Template {

    private final String source;
    /** Literal strings and Ref names alternate as parsed. */
    private final List<Object> parts;

    private record Ref(String name) {
    }

    private Template(String source, List<Object> parts) {
        this.source = source;
        this.parts = parts;
    }

    /** @throws ExpressionException for an unclosed or malformed reference */
    public static Template parse(String text) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) throw new ExpressionException("'" + text + "': '${' at position " + i + " is not closed by '}'");
                String name = text.substring(i + 2, end);
                if (!ParameterDefinitions.NAME.matcher(name).matches()) {
                    throw new ExpressionException("'" + text + "': '${" + name + "}' does not name a parameter");
                }
                if (!literal.isEmpty()) parts.add(literal.toString());
                literal.setLength(0);
                parts.add(new Ref(name));
                i = end + 1;
            } else {
                literal.append(text.charAt(i++));
            }
        }
        if (!literal.isEmpty()) parts.add(literal.toString());
        return new Template(text, List.copyOf(parts));
    }

    /** The parameter names used, in order of first use. */
    public Set<String> references() {
        Set<String> names = new LinkedHashSet<>();
        for (Object p : parts) if (p instanceof Ref r) names.add(r.name());
        return names;
    }

    /** @throws ExpressionException when a referenced parameter has no value */
    public String render(Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof Ref r) {
                String v = values.get(r.name());
                if (v == null) {
                    throw new ExpressionException("parameter '" + r.name() + "' used in '" + source + "' has no value"
                            + (values.isEmpty() ? "" : " (given: " + String.join(", ", values.keySet()) + ")"));
                }
                sb.append(v);
            } else {
                sb.append((String) p);
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
