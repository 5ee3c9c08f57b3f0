package io.kwsync.ingest.tables;

import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.config.WriterSource;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.Template;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What one run of the Kafka Writer reads, with the run's parameter values in place: the SQL statement of a JDBC
 * source, or the table and partition of a MaxCompute source. Its {@link #describe()} text identifies the run's data:
 * two runs with the same text read the same rows (a rerun, or a run requested for a window already written). Pure.
 *
 * <p>A parameter value that goes into SQL may not contain a quote, a backslash, a semicolon, a comment or a line
 * break: run requests can give values, and none of them may change the statement the operator configured.
 *
 * @param sql       JDBC: the statement, else null
 * @param partition MaxCompute: the partition spec (ds=20221121), or null for the whole table
 */
public record SourceRead(WriterSource.Kind kind, String sql, String table, String partition) {

    private static final Pattern UNSAFE_IN_SQL = Pattern.compile("['\"`\\\\;\\r\\n\\x00]|--|/\\*|\\*/");

    /** @throws ExpressionException when a value is missing or not allowed where it goes */
    public static SourceRead resolve(WriterSource s, Map<String, String> values) {
        if (s.kind() == WriterSource.Kind.MAXCOMPUTE) {
            String spec = s.partition() == null ? null : s.partition().render(values).strip();
            if (spec != null) spec = canonical(JobDefinition.partitionSpec(spec));
            return new SourceRead(s.kind(), null, s.table(), spec);
        }
        if (s.query() != null) return new SourceRead(s.kind(), render(s.query(), values), null, null);
        String sql = "SELECT " + (s.columns().isEmpty() ? "*" : String.join(", ", s.columns())) + " FROM " + s.table()
                + (s.where() == null ? "" : " WHERE " + render(s.where(), values));
        return new SourceRead(s.kind(), sql, s.table(), null);
    }

    private static String render(Template t, Map<String, String> values) {
        for (String name : t.references()) {
            String v = values.get(name);
            if (v != null && UNSAFE_IN_SQL.matcher(v).find()) {
                throw new ExpressionException("parameter '" + name + "' = '" + v + "' goes into SQL and may not contain a quote,"
                        + " a backslash, a semicolon, a comment or a line break");
            }
        }
        return t.render(values);
    }

    private static String canonical(Map<String, String> spec) {
        StringBuilder sb = new StringBuilder();
        spec.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    /** The run's data in one line: the statement, or maxcompute:table/partition. */
    public String describe() {
        if (sql != null) return sql;
        return "maxcompute:" + table + (partition == null ? "" : "/" + partition);
    }
}
