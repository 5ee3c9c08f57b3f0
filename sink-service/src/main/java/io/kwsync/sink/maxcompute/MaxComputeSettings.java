package io.kwsync.sink.maxcompute;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.SecretFiles;
import io.kwsync.sink.config.SinkConfig;
import io.kwsync.sink.maxcompute.MaxComputeConfig.Compression;
import io.kwsync.sink.maxcompute.MaxComputeConfig.CreateTable;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MaxCompute destination's configuration, read once at start and validated, the AccessKey pair read from its
 * variables or mounted files. Every problem names its variable ({@link #read}); the sink, its job store and its health
 * check take these values and never read the configuration again.
 *
 * @param tunnelEndpoint null: the service names it
 * @param table          the table every row is written to, null for each row's own
 * @param createTopics   whether the progress topic may be created (KWSYNC_KAFKA_CREATE_TOPICS)
 * @param createTablePrimaryKey empty: a created table has none
 */
record MaxComputeSettings(String endpoint, String tunnelEndpoint, String project, String table,
                                 Credentials credentials, WriteMode writeMode, Pacing pacing, Duration callTimeout,
                                 CreateTable createTable, List<String> createTableColumns, List<String> createTablePrimaryKey,
                                 List<String> createTablePartitionColumns, long lifecycle,
                                 Compression compression, String progressTopic, boolean createTopics, int tableCacheSize,
                                 boolean autoAddColumns, int autoColumnsMax) {

    private static final String URL = "https?://[^\\s/]+(/\\S*)?";

    /** The settings, or null with every problem added to {@code problems}. */
    static MaxComputeSettings read(MaxComputeConfig m, SinkConfig sink, InvalidConfigurationException.Collector problems) {
        Check check = new Check(problems);
        String endpoint = m.endpoint().orElse("");
        if (endpoint.isEmpty()) {
            check.fail("kwsync.maxcompute.endpoint", "is required when KWSYNC_SINK_TYPE is maxcompute,"
                    + " e.g. http://service.cn-hangzhou.maxcompute.aliyun-inc.com/api");
        } else {
            check.that(endpoint.matches(URL), "kwsync.maxcompute.endpoint",
                    "must be an http:// or https:// URL, e.g. http://service.cn-hangzhou.maxcompute.aliyun-inc.com/api");
        }
        m.tunnelEndpoint().ifPresent(t -> check.that(t.matches(URL), "kwsync.maxcompute.tunnel-endpoint",
                "must be an http:// or https:// URL"));
        String project = m.project().orElse("");
        if (project.isEmpty()) {
            check.fail("kwsync.maxcompute.project", "is required when KWSYNC_SINK_TYPE is maxcompute");
        } else {
            check.that(MaxComputeDdl.isIdentifier(project), "kwsync.maxcompute.project",
                    "'" + project + "' is not a MaxCompute project name (letters, digits, underscore, starting with a letter)");
        }
        m.table().ifPresent(t -> {
            try {
                QualifiedTable.parse(t, project.isEmpty() ? "(KWSYNC_MAXCOMPUTE_PROJECT)" : project);
            } catch (IllegalArgumentException e) {
                check.fail("kwsync.maxcompute.table", e.getMessage());
            }
        });
        Credentials credentials = credentials(check, m);
        if (m.createTable() != CreateTable.NEVER) {
            check.that(m.table().isPresent(), "kwsync.maxcompute.table",
                    "is required when KWSYNC_MAXCOMPUTE_CREATE_TABLE is " + m.createTable().name().toLowerCase().replace('_', '-'));
        }
        for (String c : m.createTableColumns().orElse(List.of())) {
            String p = MaxComputeDdl.columnProblem(c);
            if (p != null) check.fail("kwsync.maxcompute.create-table-columns", p);
        }
        for (String c : m.createTablePartitionColumns()) {
            check.that(MaxComputeDdl.isIdentifier(c), "kwsync.maxcompute.create-table-partition-columns",
                    "'" + c + "' is not a column name");
        }
        checkTableKey(check, m);
        check.that(m.lifecycle() >= 1, "kwsync.maxcompute.lifecycle", "must be at least 1 (days)");
        check.that(between(m.commitInterval(), Duration.ofSeconds(1), Pacing.MAX_INTERVAL), "kwsync.maxcompute.commit-interval",
                "must be between 1s and 1h (MaxCompute recommends at least 5 minutes between sessions of a partition)");
        long bytes = bytes(m.commitBytes());
        check.that(bytes >= 1024 * 1024 && bytes <= Pacing.MAX_BYTES, "kwsync.maxcompute.commit-bytes",
                "must be between 1M and 100G (a tunnel block takes at most 100 GB), e.g. 64M; got '" + m.commitBytes() + "'");
        check.that(between(m.callTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(30)), "kwsync.maxcompute.call-timeout",
                "must be between 1s and 30m");
        check.that(m.autoColumnsMax() >= 1 && m.autoColumnsMax() <= 1200, "kwsync.maxcompute.auto-columns-max",
                "must be between 1 and 1200 (MaxCompute's limit of columns in a table)");
        check.that(m.tableCacheSize() >= 1, "kwsync.maxcompute.table-cache-size", "must be at least 1 (tables)");
        check.that(!m.progressTopic().isBlank(), "kwsync.maxcompute.progress-topic", "is empty");
        check.that(!m.progressTopic().equals(sink.rows().topic()) && !m.progressTopic().equals(sink.error().topic()),
                "kwsync.maxcompute.progress-topic", "must differ from the rows and error topics");
        if (!check.ok) return null;
        return new MaxComputeSettings(endpoint, m.tunnelEndpoint().orElse(null), project, m.table().orElse(null),
                credentials, m.writeMode(), new Pacing(m.commitInterval(), bytes, Pacing.MAX_BLOCKS, Pacing.SESSION_LIFETIME),
                m.callTimeout(), m.createTable(), m.createTableColumns().orElse(List.of()), m.createTablePrimaryKey().orElse(List.of()),
                m.createTablePartitionColumns(), m.lifecycle(), m.compression(), m.progressTopic(), sink.kafka().createTopics(),
                m.tableCacheSize(), m.autoAddColumns(), m.autoColumnsMax());
    }

    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d{1,12})\\s*([KMG]?)B?\\s*");

    /** {@code 64M} -> 67108864 (K, M, G are powers of 1024); -1 when the text is not a size. */
    static long bytes(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) return -1;
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> n << 10;
            case "M" -> n << 20;
            case "G" -> n << 30;
            default -> n;
        };
    }

    private static boolean between(Duration d, Duration min, Duration max) {
        return d.compareTo(min) >= 0 && d.compareTo(max) <= 0;
    }

    /** The primary key of a created table: columns of that table (any case), none of them a partition column. */
    private static void checkTableKey(Check check, MaxComputeConfig m) {
        List<String> key = m.createTablePrimaryKey().orElse(List.of());
        String property = key.isEmpty() ? "kwsync.maxcompute.create-table-partition-columns" : "kwsync.maxcompute.create-table-primary-key";
        if (m.createTable() == CreateTable.NEVER) {
            if (!key.isEmpty()) check.fail(property, "only applies to a table the sink creates; set KWSYNC_MAXCOMPUTE_CREATE_TABLE too");
            return;
        }
        List<MaxComputeDdl.ColumnDef> columns = new ArrayList<>(m.createTable() == CreateTable.KEY_VALUE
                ? MaxComputeDdl.KEY_VALUE : MaxComputeDdl.BUILT_IN);
        for (String c : m.createTableColumns().orElse(List.of())) if (MaxComputeDdl.columnProblem(c) == null) columns.add(MaxComputeDdl.column(c));
        String problem = MaxComputeDdl.keyProblem(columns, key, m.createTablePartitionColumns());
        if (problem != null) check.fail(property, problem);
    }

    /**
     * The credentials of KWSYNC_MAXCOMPUTE_CREDENTIALS: the AccessKey pair from variables or files; for sts the three
     * files only (a variable could not be rotated); for default-chain none of them (they would be ignored).
     */
    private static Credentials credentials(Check check, MaxComputeConfig m) {
        String source = "KWSYNC_MAXCOMPUTE_CREDENTIALS is " + m.credentials().name().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (m.credentials()) {
            case ACCESS_KEY -> {
                check.that(m.securityTokenFile().isEmpty(), "kwsync.maxcompute.security-token-file",
                        "only applies to STS credentials: set KWSYNC_MAXCOMPUTE_CREDENTIALS=sts too");
                String id = secret(check, m.accessId(), m.accessIdFile(), "kwsync.maxcompute.access-id", "AccessKey ID");
                String key = secret(check, m.accessKey(), m.accessKeyFile(), "kwsync.maxcompute.access-key", "AccessKey secret");
                return new Credentials(id, key);
            }
            case STS -> {
                check.that(m.accessId().isEmpty(), "kwsync.maxcompute.access-id", "cannot be used when " + source
                        + ": STS credentials are rotated, so they come from files only (KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE)");
                check.that(m.accessKey().isEmpty(), "kwsync.maxcompute.access-key", "cannot be used when " + source
                        + ": STS credentials are rotated, so they come from files only (KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE)");
                Path id = stsFile(check, m.accessIdFile(), "kwsync.maxcompute.access-id-file", source, "AccessKey id");
                Path key = stsFile(check, m.accessKeyFile(), "kwsync.maxcompute.access-key-file", source, "AccessKey secret");
                Path token = stsFile(check, m.securityTokenFile(), "kwsync.maxcompute.security-token-file", source,
                        "security token");
                return Credentials.sts(id, key, token);
            }
            default -> {
                String why = "cannot be used when " + source + ": the default credential chain finds the credentials"
                        + " (ALIBABA_CLOUD_* variables, the pod's RAM or OIDC role)";
                check.that(m.accessId().isEmpty(), "kwsync.maxcompute.access-id", why);
                check.that(m.accessIdFile().isEmpty(), "kwsync.maxcompute.access-id-file", why);
                check.that(m.accessKey().isEmpty(), "kwsync.maxcompute.access-key", why);
                check.that(m.accessKeyFile().isEmpty(), "kwsync.maxcompute.access-key-file", why);
                check.that(m.securityTokenFile().isEmpty(), "kwsync.maxcompute.security-token-file", why);
                return Credentials.defaultChain();
            }
        }
    }

    /** One of the STS files: required, readable. */
    private static Path stsFile(Check check, Optional<String> file, String property, String source, String what) {
        if (file.isEmpty()) {
            check.fail(property, "is required when " + source + ": the file holding the " + what);
            return null;
        }
        check.that(SecretFiles.readable(file.get()), property, "names a file that does not exist or cannot be read: " + file.get());
        return Path.of(file.get());
    }

    /** The secret from its mounted file (first line) or its variable, trimmed; null with a problem when neither works. */
    private static String secret(Check check, Optional<String> value, Optional<String> file, String property, String what) {
        if (file.isPresent()) {
            if (!SecretFiles.readable(file.get())) {
                check.fail(property + "-file", "names a file that does not exist or cannot be read: " + file.get());
                return null;
            }
            return SecretFiles.firstLine(value, file, property + "-file").orElse("").trim();
        }
        if (value.filter(v -> !v.isBlank()).isEmpty()) {
            check.fail(property, "is required when KWSYNC_SINK_TYPE is maxcompute: the " + what + " (or set "
                    + property.replace('.', '_').replace('-', '_').toUpperCase() + "_FILE)");
            return null;
        }
        return value.get().trim();
    }

    /** Adds problems and remembers whether there was one. */
    private static final class Check {
        private final InvalidConfigurationException.Collector problems;
        private boolean ok = true;

        Check(InvalidConfigurationException.Collector problems) {
            this.problems = problems;
        }

        void that(boolean holds, String property, String message) {
            problems.check(holds, property, message);
            ok &= holds;
        }

        void fail(String property, String message) {
            that(false, property, message);
        }
    }

    @Override
    public String toString() {
        return "MaxComputeSettings[" + project + " at " + endpoint + ", table " + table + ", " + credentials + ", " + writeMode + "]";
    }
}
