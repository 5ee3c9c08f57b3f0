package io.kwsync.sink.maxcompute;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.sink.config.SinkConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The MaxCompute settings' part of the start-up check; every problem names its variable. */
public final class MaxComputeConfigCheck {

    private MaxComputeConfigCheck() {
    }

    public static void check(SinkConfig.MaxCompute m, InvalidConfigurationException.Collector problems) {
        String endpoint = m.endpoint().orElse("");
        if (endpoint.isEmpty()) {
            problems.problem("kwsync.maxcompute.endpoint", "is required when KWSYNC_SINK_TYPE is maxcompute,"
                    + " e.g. http://service.cn-hangzhou.maxcompute.aliyun-inc.com/api");
        } else {
            problems.check(endpoint.matches("https?://[^\\s/]+(/\\S*)?"), "kwsync.maxcompute.endpoint",
                    "must be an http:// or https:// URL, e.g. http://service.cn-hangzhou.maxcompute.aliyun-inc.com/api");
        }
        m.tunnelEndpoint().ifPresent(t -> problems.check(t.matches("https?://[^\\s/]+(/\\S*)?"),
                "kwsync.maxcompute.tunnel-endpoint", "must be an http:// or https:// URL"));
        String project = m.project().orElse("");
        if (project.isEmpty()) {
            problems.problem("kwsync.maxcompute.project", "is required when KWSYNC_SINK_TYPE is maxcompute");
        } else {
            problems.check(MaxComputeDdl.isIdentifier(project), "kwsync.maxcompute.project",
                    "'" + project + "' is not a MaxCompute project name (letters, digits, underscore, starting with a letter)");
        }
        m.table().ifPresent(t -> problems.check(MaxComputeDdl.isIdentifier(t), "kwsync.maxcompute.table",
                "'" + t + "' is not a MaxCompute table name (letters, digits, underscore, starting with a letter)"));
        secret(problems, m.accessId(), m.accessIdFile(), "kwsync.maxcompute.access-id", "AccessKey ID");
        secret(problems, m.accessKey(), m.accessKeyFile(), "kwsync.maxcompute.access-key", "AccessKey secret");
        if (m.createTable() != SinkConfig.CreateTable.NEVER) {
            problems.check(m.table().isPresent(), "kwsync.maxcompute.table",
                    "is required when KWSYNC_MAXCOMPUTE_CREATE_TABLE is " + m.createTable().name().toLowerCase().replace('_', '-'));
        }
        for (String c : m.createTableColumns().orElse(List.of())) {
            String p = MaxComputeDdl.columnProblem(c);
            if (p != null) problems.problem("kwsync.maxcompute.create-table-columns", p);
        }
        for (String c : m.createTablePartitionColumns()) {
            problems.check(MaxComputeDdl.isIdentifier(c), "kwsync.maxcompute.create-table-partition-columns",
                    "'" + c + "' is not a column name");
        }
        problems.check(m.lifecycle() >= 1, "kwsync.maxcompute.lifecycle", "must be at least 1 (days)");
        problems.check(!m.progressTopic().isBlank(), "kwsync.maxcompute.progress-topic", "is empty");
    }

    /** The progress topic must be a topic of its own. */
    public static void checkTopics(SinkConfig c, InvalidConfigurationException.Collector problems) {
        String progress = c.maxcompute().progressTopic();
        problems.check(!progress.equals(c.rows().topic()) && !progress.equals(c.error().topic()),
                "kwsync.maxcompute.progress-topic", "must differ from the rows and error topics");
    }

    private static void secret(InvalidConfigurationException.Collector problems, Optional<String> value, Optional<String> file,
                               String property, String what) {
        if (file.isPresent()) {
            problems.check(Files.isReadable(Path.of(file.get())), property + "-file",
                    "names a file that does not exist or cannot be read: " + file.get());
        } else {
            problems.check(value.filter(v -> !v.isBlank()).isPresent(), property,
                    "is required when KWSYNC_SINK_TYPE is maxcompute: the " + what + " (or set " + property.replace('.', '_')
                            .replace('-', '_').toUpperCase() + "_FILE)");
        }
    }
}
