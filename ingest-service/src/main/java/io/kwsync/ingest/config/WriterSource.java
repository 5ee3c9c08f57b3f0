package io.kwsync.ingest.config;

import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.Template;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.JdbcUrls;
import io.kwsync.runtime.config.SecretFiles;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where the Kafka Writer's runs read their rows, validated at start (KWSYNC_WRITER_SOURCE_*): a JDBC database with a
 * query, or a table with optional columns and condition; or a MaxCompute table, optionally one partition. The query,
 * the condition and the partition are templates of the run's scheduling parameters.
 *
 * @param jdbc       null for MaxCompute
 * @param maxCompute null for JDBC
 * @param query      JDBC only, null when a table is read
 * @param table      null when a query is read
 * @param columns    the columns read, empty for all of them in the table's order
 * @param where      JDBC table only, may be null
 * @param partition  MaxCompute only, may be null (an unpartitioned table)
 */
public record WriterSource(Kind kind, Jdbc jdbc, MaxCompute maxCompute, Template query, String table, List<String> columns,
                           Template where, Template partition, int fetchSize) {

    public enum Kind {
        JDBC, MAXCOMPUTE
    }

    /** A JDBC connection; the password never appears in {@link #toString()}. */
    public record Jdbc(String url, String user, String password) {
        @Override
        public String toString() {
            return "Jdbc[" + url + ", user=" + user + ", password=" + (password == null ? "none" : "***") + "]";
        }
    }

    /** A MaxCompute project and AccessKey; the secret never appears in {@link #toString()}. */
    public record MaxCompute(String endpoint, String tunnelEndpoint, String project, String accessId, String accessKey) {
        @Override
        public String toString() {
            return "MaxCompute[" + endpoint + ", project=" + project + ", accessId=" + accessId + ", accessKey=***]";
        }
    }

    static final List<String> URL_PREFIXES = List.of("jdbc:mysql://", "jdbc:postgresql://");
    static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,127}(\\.[A-Za-z_][A-Za-z0-9_$]{0,127})?");
    private static final String P = "kwsync.writer.source.";

    /** The parameter names the templates use. */
    Set<String> references() {
        Set<String> used = new LinkedHashSet<>();
        for (Template t : new Template[]{query, where, partition}) if (t != null) used.addAll(t.references());
        return used;
    }

    /** Null when {@code problems} received something. */
    static WriterSource from(WriterConfig.Source c, Function<String, Optional<String>> raw,
                             InvalidConfigurationException.Collector problems) {
        String type = c.type().strip().toLowerCase(Locale.ROOT);
        Kind kind = switch (type) {
            case "jdbc" -> Kind.JDBC;
            case "maxcompute" -> Kind.MAXCOMPUTE;
            default -> null;
        };
        problems.check(kind != null, P + "type", "'" + c.type() + "' is not jdbc or maxcompute");
        Template query = template(raw, "query", problems);
        Template where = template(raw, "where", problems);
        Template partition = template(raw, "partition", problems);
        String table = c.table().map(String::strip).orElse(null);
        problems.check(table == null || TABLE.matcher(table).matches(), P + "table", "'" + table
                + "' is not a table name: letters, digits, _ and $, optionally schema.table");
        List<String> columns = columns(c.columns().orElse(""), problems);
        problems.check(c.fetchSize() >= 1 && c.fetchSize() <= 100_000, P + "fetch-size", "must be 1 to 100000");
        Jdbc jdbc = null;
        MaxCompute maxCompute = null;
        if (kind == Kind.JDBC) {
            problems.check(query == null || table == null, P + "query", "and KWSYNC_WRITER_SOURCE_TABLE are both set; a run reads a query or a table");
            problems.check(query != null || table != null, P + "table", "or KWSYNC_WRITER_SOURCE_QUERY is required: what the runs read");
            problems.check(query == null || where == null && columns.isEmpty(), P + "where",
                    "and KWSYNC_WRITER_SOURCE_COLUMNS apply to a table, not to KWSYNC_WRITER_SOURCE_QUERY (put them in the query)");
            problems.check(partition == null, P + "partition", "applies to a MaxCompute source; for a JDBC table use KWSYNC_WRITER_SOURCE_WHERE");
            notFor(c.maxcomputeEndpoint(), "maxcompute-endpoint", "jdbc", problems);
            notFor(c.maxcomputeProject(), "maxcompute-project", "jdbc", problems);
            jdbc = jdbc(c, problems);
        } else if (kind == Kind.MAXCOMPUTE) {
            problems.check(query == null && where == null, P + "query", "and KWSYNC_WRITER_SOURCE_WHERE apply to a JDBC source;"
                    + " a MaxCompute source reads KWSYNC_WRITER_SOURCE_TABLE, or one KWSYNC_WRITER_SOURCE_PARTITION of it");
            problems.check(table != null && !table.contains("."), P + "table", "is required: the MaxCompute table of the project");
            notFor(c.jdbcUrl(), "jdbc-url", "maxcompute", problems);
            maxCompute = maxCompute(c, problems);
        }
        if (!problems.isEmpty()) return null;
        return new WriterSource(kind, jdbc, maxCompute, query, table, columns, where, partition, c.fetchSize());
    }

    private static Template template(Function<String, Optional<String>> raw, String key, InvalidConfigurationException.Collector problems) {
        Optional<String> text = raw.apply(P + key);
        if (text.isEmpty()) return null;
        try {
            Template t = Template.parse(text.get().strip());
            if (key.equals("partition") && t.references().isEmpty()) JobDefinition.partitionSpec(t.render(Map.of()));
            return t;
        } catch (ExpressionException e) {
            problems.problem(P + key, e.getMessage());
            return null;
        }
    }

    private static List<String> columns(String text, InvalidConfigurationException.Collector problems) {
        List<String> out = new ArrayList<>();
        if (text.isBlank()) return out;
        for (String c : text.split(",", -1)) {
            String name = c.strip();
            if (name.isEmpty() || name.contains(";")) {
                problems.problem(P + "columns", "'" + text + "' has an empty column or a ';': give the columns separated by commas");
                return List.of();
            }
            out.add(name);
        }
        return List.copyOf(out);
    }

    private static void notFor(Optional<String> set, String key, String kind, InvalidConfigurationException.Collector problems) {
        problems.check(set.isEmpty(), P + key, "does not apply to KWSYNC_WRITER_SOURCE_TYPE=" + kind);
    }

    private static Jdbc jdbc(WriterConfig.Source c, InvalidConfigurationException.Collector problems) {
        String url = c.jdbcUrl().map(String::strip).orElse("");
        if (url.isEmpty()) {
            problems.problem(P + "jdbc-url", "is required with KWSYNC_WRITER_SOURCE_TYPE=jdbc, e.g. jdbc:mysql://host:3306/db");
            return null;
        }
        if (URL_PREFIXES.stream().noneMatch(url::startsWith)) {
            problems.problem(P + "jdbc-url", "must start with " + String.join(" or ", URL_PREFIXES));
            return null;
        }
        if (JdbcUrls.hasPassword(url)) {
            problems.problem(P + "jdbc-url", "must not carry a password: set KWSYNC_WRITER_SOURCE_JDBC_PASSWORD or _PASSWORD_FILE");
            return null;
        }
        return new Jdbc(url, c.jdbcUser().orElse(null), secret(c.jdbcPassword(), c.jdbcPasswordFile(), "jdbc-password", false, problems));
    }

    private static MaxCompute maxCompute(WriterConfig.Source c, InvalidConfigurationException.Collector problems) {
        String endpoint = c.maxcomputeEndpoint().map(String::strip).orElse("");
        problems.check(endpoint.startsWith("http://") || endpoint.startsWith("https://"), P + "maxcompute-endpoint",
                "is required with KWSYNC_WRITER_SOURCE_TYPE=maxcompute: the REST endpoint, http(s)://.../api");
        String project = c.maxcomputeProject().map(String::strip).orElse("");
        problems.check(!project.isEmpty(), P + "maxcompute-project", "is required with KWSYNC_WRITER_SOURCE_TYPE=maxcompute");
        String id = secret(c.maxcomputeAccessId(), c.maxcomputeAccessIdFile(), "maxcompute-access-id", true, problems);
        String key = secret(c.maxcomputeAccessKey(), c.maxcomputeAccessKeyFile(), "maxcompute-access-key", true, problems);
        return new MaxCompute(endpoint, c.maxcomputeTunnelEndpoint().map(String::strip).orElse(null), project, id, key);
    }

    /** A secret from its file (first line) or its variable; never shown in a message. */
    private static String secret(Optional<String> value, Optional<String> file, String key, boolean required,
                                 InvalidConfigurationException.Collector problems) {
        if (file.isPresent() && !SecretFiles.readable(file.get())) {
            problems.problem(P + key + "-file", "names a file that does not exist or cannot be read: " + file.get());
            return null;
        }
        String v = SecretFiles.firstLine(value, file, P + key + "-file").filter(s -> !s.isBlank()).orElse(null);
        problems.check(v != null || !required, P + key, "is required (or " + "KWSYNC_WRITER_SOURCE_"
                + key.toUpperCase(Locale.ROOT).replace('-', '_') + "_FILE)");
        return v;
    }
}
