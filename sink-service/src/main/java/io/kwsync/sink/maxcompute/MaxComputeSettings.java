package io.kwsync.sink.maxcompute;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.SecretFiles;
import io.kwsync.sink.config.SinkConfig;
import io.kwsync.sink.maxcompute.MaxComputeConfig.Compression;
import io.kwsync.sink.maxcompute.MaxComputeConfig.CreateTable;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;

import java.util.List;
import java.util.Optional;

/**
 * The MaxCompute destination's configuration, read once at start and validated, the AccessKey pair read from its
 * variables or mounted files. Every problem names its variable ({@link #read}); the sink, its job store and its health
 * check take these values and never read the configuration again.
 *
 * @param tunnelEndpoint null: the service names it
 * @param table          the table every row is written to, null for each row's own
 * @param createTopics   whether the progress topic may be created (KWSYNC_KAFKA_CREATE_TOPICS)
 */
record MaxComputeSettings(String endpoint, String tunnelEndpoint, String project, String table,
                                 Credentials credentials, WriteMode writeMode, CreateTable createTable,
                                 List<String> createTableColumns, List<String> createTablePartitionColumns, long lifecycle,
                                 Compression compression, String progressTopic, boolean createTopics) {

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
        m.table().ifPresent(t -> check.that(MaxComputeDdl.isIdentifier(t), "kwsync.maxcompute.table",
                "'" + t + "' is not a MaxCompute table name (letters, digits, underscore, starting with a letter)"));
        String id = secret(check, m.accessId(), m.accessIdFile(), "kwsync.maxcompute.access-id", "AccessKey ID");
        String key = secret(check, m.accessKey(), m.accessKeyFile(), "kwsync.maxcompute.access-key", "AccessKey secret");
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
        check.that(m.lifecycle() >= 1, "kwsync.maxcompute.lifecycle", "must be at least 1 (days)");
        check.that(!m.progressTopic().isBlank(), "kwsync.maxcompute.progress-topic", "is empty");
        check.that(!m.progressTopic().equals(sink.rows().topic()) && !m.progressTopic().equals(sink.error().topic()),
                "kwsync.maxcompute.progress-topic", "must differ from the rows and error topics");
        if (!check.ok) return null;
        return new MaxComputeSettings(endpoint, m.tunnelEndpoint().orElse(null), project, m.table().orElse(null),
                new Credentials(id, key), m.writeMode(), m.createTable(), m.createTableColumns().orElse(List.of()),
                m.createTablePartitionColumns(), m.lifecycle(), m.compression(), m.progressTopic(), sink.kafka().createTopics());
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
