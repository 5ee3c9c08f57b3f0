package io.kwsync.ingest.route;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a routed table name may be. A name that comes from message content is held to a stricter rule than one an
 * operator writes: letters, digits and underscores, not starting with a digit, so it never needs quoting in any
 * destination's SQL; dots only where the template's own text has them ({@code analytics.${topic}}); not
 * longer than the destination allows; not an SQL reserved word. Pure.
 */
public final class TableNames {

    private static final Pattern PART = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Words that MySQL, PostgreSQL or MaxCompute reserve and a template could plausibly produce. */
    private static final Set<String> RESERVED = Set.of(
            "add", "all", "alter", "and", "as", "asc", "between", "by", "case", "cast", "check", "column", "constraint",
            "create", "cross", "current", "database", "default", "delete", "desc", "distinct", "drop", "else", "end",
            "exists", "false", "fetch", "for", "foreign", "from", "full", "grant", "group", "having", "in", "index",
            "inner", "insert", "interval", "into", "is", "join", "key", "left", "like", "limit", "natural", "not",
            "null", "offset", "on", "or", "order", "outer", "partition", "primary", "references", "right", "schema",
            "select", "set", "table", "then", "to", "true", "union", "unique", "update", "user", "using", "values",
            "when", "where", "with");

    private TableNames() {
    }

    /**
     * Null when {@code name} is a table this connector may write, otherwise why not.
     *
     * @param dots the dots the name may have (those of the template's own text: 0, 1, or 2 for MaxCompute's
     *             project.schema.table)
     */
    public static String problem(String name, int maxLength, int dots) {
        if (name.isEmpty()) return "is empty";
        if (name.length() > maxLength) {
            return "is " + name.length() + " characters long; at most " + maxLength + " are allowed";
        }
        String[] parts = name.split("\\.", -1);
        if (parts.length - 1 != dots) {
            return dots == 0 ? "contains a dot" : dots == 1 ? "must be schema.table with exactly the template's one dot"
                    : "must have exactly the template's " + dots + " dots (project.schema.table for MaxCompute)";
        }
        for (String part : parts) {
            if (part.isEmpty()) return "has an empty part";
            if (!PART.matcher(part).matches()) {
                return "may contain only letters, digits and underscores and must not start with a digit";
            }
            if (RESERVED.contains(part.toLowerCase(Locale.ROOT))) return "is the reserved word " + part;
        }
        return null;
    }
}
