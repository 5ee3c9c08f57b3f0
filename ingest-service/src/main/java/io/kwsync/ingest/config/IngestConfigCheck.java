package io.kwsync.ingest.config;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.ServiceConfig;
import io.kwsync.runtime.config.ServiceConfigCheck;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.util.List;

/**
 * Validates the configuration before anything connects (Kafka channels start later, at LIBRARY_BEFORE), so that a
 * bad Deployment stops at once with a message naming each wrong variable.
 */
@ApplicationScoped
public class IngestConfigCheck {

    private static final List<String> ROWS_COMPRESSION = List.of("none", "gzip", "snappy", "lz4", "zstd");

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, IngestConfig config) {
        check(config);
    }

    public static void check(IngestConfig c) {
        var problems = new InvalidConfigurationException.Collector();
        ServiceConfigCheck.check(c, problems);
        problems.check(c.source().topics().filter(t -> !t.isEmpty() && t.stream().noneMatch(String::isBlank)).isPresent(),
                "kwsync.source.topics", "is required: a comma-separated list of source topics");
        problems.check(c.destination().table().filter(t -> !t.isBlank()).isPresent(),
                "kwsync.destination.table", "is required: the destination table name");
        problems.check(c.rows().topicPartitions() >= 1, "kwsync.rows.topic-partitions", "must be at least 1");
        problems.check(!c.rows().topic().isBlank(), "kwsync.rows.topic", "is empty");
        problems.check(ROWS_COMPRESSION.contains(c.rows().compression()), "kwsync.rows.compression",
                "must be one of " + String.join(", ", ROWS_COMPRESSION));
        problems.check(!c.error().topic().isBlank(), "kwsync.error.topic", "is empty");
        MappingSettings.of(c, problems);
        c.error().limit().ifPresent(limit -> problems.check(limit >= 0, "kwsync.error.limit",
                "must be 0 or more (0 stops at the first dirty record; leave it unset for no limit)"));
        problems.check(c.error().limit().isEmpty() || c.failure().policy() == ServiceConfig.FailurePolicy.CONTINUE,
                "kwsync.error.limit", "applies only with KWSYNC_FAILURE_POLICY=continue; with stop the first dirty record"
                        + " stops the connector");
        c.source().topics().ifPresent(topics -> {
            problems.check(!topics.contains(c.rows().topic()), "kwsync.rows.topic", "must differ from the source topics");
            problems.check(!topics.contains(c.error().topic()), "kwsync.error.topic", "must differ from the source topics");
        });
        RecordSettings.check(c, problems);
        problems.check(c.mapping().columns().isEmpty() || c.record().layout() == IngestConfig.Layout.JSON_COLUMNS,
                "kwsync.mapping.columns", "applies only to KWSYNC_RECORD_LAYOUT=json-columns; the key-value layout"
                        + " writes the connector's fixed topic, partition, offset, key, value row");
        problems.throwIfAny();
    }
}
