package io.kwsync.ingest.config;

import io.kwsync.ingest.partition.RecordPartitioner;
import io.kwsync.ingest.route.TableRouter;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.ServiceConfig;
import io.kwsync.runtime.config.ServiceConfigCheck;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The configuration of ingest-service as the rest of the service uses it: read once at start ({@link #read}),
 * validated as a whole, with every default resolved and every text parsed (the column mapping, the time partitions,
 * the window job). Nothing else reads {@link IngestConfig} or the job's variables.
 *
 * @param connector    KWSYNC_CONNECTOR_NAME
 * @param sourceTopics KWSYNC_SOURCE_TOPICS; empty when the connector reads by pattern
 * @param table        KWSYNC_DESTINATION_TABLE (a routing template when {@code route} is present)
 * @param createTopics KWSYNC_KAFKA_CREATE_TOPICS
 * @param job          the window job, in job mode only
 * @param writer       the Kafka Writer, in writer mode only (source topics and table are then empty)
 * @param sourcePattern the subscription of KWSYNC_SOURCE_TOPIC_PATTERN ({@link SourcePattern}), when set
 * @param route        per-record routing, when KWSYNC_DESTINATION_TABLE is a template
 */
public record IngestSettings(IngestMode.Mode mode, String connector, List<String> sourceTopics, String table, Rows rows,
                             Errors errors, boolean createTopics, RecordSettings record, MappingSettings mapping,
                             Optional<JobDefinition> job, Optional<WriterDefinition> writer, Optional<Pattern> sourcePattern,
                             Optional<TableRouter> route) {

    /**
     * The rows topic.
     *
     * @param compression of what ingest-service writes to it: none, gzip, snappy, lz4 or zstd
     */
    public record Rows(String topic, int topicPartitions, String compression) {
    }

    /**
     * Where dirty records go and what they do to the stream.
     *
     * @param limit dirty records tolerated (KWSYNC_ERROR_LIMIT); -1 for no limit
     */
    public record Errors(String topic, ServiceConfig.FailurePolicy policy, long limit) {
    }

    private static final List<String> ROWS_COMPRESSION = List.of("none", "gzip", "snappy", "lz4", "zstd");

    /** Whether this connector reads the topic (listed, or matching its pattern). */
    public boolean readsTopic(String topic) {
        return sourcePattern.map(p -> SourcePattern.reads(p, topic)).orElseGet(() -> sourceTopics.contains(topic));
    }

    /** The topics read, for messages: the list, or the pattern. */
    public String describeSource() {
        return sourcePattern.isPresent() ? "topics matching " + sourcePattern.get() : String.join(", ", sourceTopics);
    }

    /** A job of either kind (a window job, the Kafka Writer) runs instead of the stream. */
    public boolean jobMode() {
        return mode != IngestMode.Mode.STREAM;
    }

    /**
     * Validates everything at once, the job's variables too in job mode, so that a bad Deployment stops with every
     * wrong variable named in one message.
     *
     * @param raw the job's settings as written, without configuration-expression expansion ({@link RawSettings})
     * @throws InvalidConfigurationException listing each problem with its variable
     */
    public static IngestSettings read(IngestConfig c, IngestMode mode, JobConfig job, Function<String, Optional<String>> raw) {
        return read(c, mode, job, null, raw);
    }

    /** @param writer the Kafka Writer's settings, read in writer mode only */
    public static IngestSettings read(IngestConfig c, IngestMode mode, JobConfig job, WriterConfig writer,
                                      Function<String, Optional<String>> raw) {
        var problems = new InvalidConfigurationException.Collector();
        ServiceConfigCheck.check(c, problems);
        boolean writes = mode.mode() == IngestMode.Mode.WRITER;
        Optional<String> pattern = c.source().topicPattern().filter(p -> !p.isBlank()).map(String::strip);
        Pattern subscription = null;
        if (pattern.isPresent()) {
            problems.check(c.source().topics().isEmpty(), "kwsync.source.topics",
                    "must not be set together with KWSYNC_SOURCE_TOPIC_PATTERN: set exactly one of the two");
            problems.check(mode.mode() == IngestMode.Mode.STREAM, "kwsync.source.topic-pattern",
                    "applies to streaming only: a window job reads exactly one topic (KWSYNC_SOURCE_TOPICS)");
            subscription = SourcePattern.compile(pattern.get(), m -> problems.problem("kwsync.source.topic-pattern", m));
        } else {
            problems.check(writes || c.source().topics().filter(t -> !t.isEmpty() && t.stream().noneMatch(String::isBlank)).isPresent(),
                    "kwsync.source.topics", "is required: a comma-separated list of source topics"
                            + " (or KWSYNC_SOURCE_TOPIC_PATTERN, a regular expression)");
        }
        if (subscription != null) {
            problems.check(!SourcePattern.reads(subscription, c.rows().topic()), "kwsync.rows.topic",
                    "matches KWSYNC_SOURCE_TOPIC_PATTERN: the connector would read its own rows");
            problems.check(!SourcePattern.reads(subscription, c.error().topic()), "kwsync.error.topic",
                    "matches KWSYNC_SOURCE_TOPIC_PATTERN: the connector would read its own dirty records");
        }
        Optional<String> table = raw.apply(RouteSettings.TABLE);
        problems.check(writes || table.isPresent(), "kwsync.destination.table", "is required: the destination table name"
                + " (or a routing template such as ods_${topic})");
        Optional<TableRouter> route = RouteSettings.of(c, mode.mode() == IngestMode.Mode.WRITER, raw, problems);
        problems.check(c.source().concurrency() >= 1, "kwsync.source.concurrency",
                "'" + c.source().concurrency() + "' is not allowed: use 1 or more consumer threads");
        problems.check(c.rows().topicPartitions() >= 1, "kwsync.rows.topic-partitions", "must be at least 1");
        problems.check(!c.rows().topic().isBlank(), "kwsync.rows.topic", "is empty");
        problems.check(ROWS_COMPRESSION.contains(c.rows().compression()), "kwsync.rows.compression",
                "must be one of " + String.join(", ", ROWS_COMPRESSION));
        problems.check(!c.error().topic().isBlank(), "kwsync.error.topic", "is empty");
        MappingSettings mapping = MappingSettings.of(c, problems);
        c.error().limit().ifPresent(limit -> problems.check(limit >= 0, "kwsync.error.limit",
                "must be 0 or more (0 stops at the first dirty record; leave it unset for no limit)"));
        problems.check(c.error().limit().isEmpty() || c.failure().policy() == ServiceConfig.FailurePolicy.CONTINUE,
                "kwsync.error.limit", "applies only with KWSYNC_FAILURE_POLICY=continue; with stop the first dirty record"
                        + " stops the connector");
        c.source().topics().ifPresent(topics -> {
            problems.check(!topics.contains(c.rows().topic()), "kwsync.rows.topic", "must differ from the source topics");
            problems.check(!topics.contains(c.error().topic()), "kwsync.error.topic", "must differ from the source topics");
        });
        RecordSettings record = RecordSettings.of(c, problems);
        problems.check(record == null || mode.mode() == IngestMode.Mode.STREAM || record.partitioner()
                        .filter(p -> p.readsRecord() && !p.valuesOnly()).isEmpty(), "kwsync.partition.time-field",
                "applies to streaming only: a window job takes its time partition from KWSYNC_JOB_DESTINATION_PARTITION;"
                        + " in job mode KWSYNC_PARTITION_COLUMNS may name only the value columns of KWSYNC_PARTITION_FIELDS");
        problems.check(c.mapping().columns().isEmpty() || c.record().layout() == IngestConfig.Layout.JSON_COLUMNS,
                "kwsync.mapping.columns", "applies only to KWSYNC_RECORD_LAYOUT=json-columns; the key-value layout"
                        + " writes the connector's fixed topic, partition, offset, key, value row");
        Optional<JobDefinition> definition = mode.mode() == IngestMode.Mode.JOB && pattern.isEmpty() // refused above
                ? Optional.ofNullable(JobDefinition.from(job, c, raw, problems)) : Optional.empty();
        Optional<WriterDefinition> writerDefinition = writes
                ? Optional.ofNullable(WriterDefinition.from(writer, job, c, raw, problems)) : Optional.empty();
        if (definition.isPresent() && record != null) JobPartitions.check(definition.get(), record, problems);
        problems.throwIfAny();
        return new IngestSettings(mode.mode(), c.connector().name().orElseThrow(),
                pattern.isPresent() ? List.of() : List.copyOf(c.source().topics().orElse(List.of())), table.orElse("").strip(),
                new Rows(c.rows().topic(), c.rows().topicPartitions(), c.rows().compression()),
                new Errors(c.error().topic(), c.failure().policy(), c.error().limit().orElse(-1L)),
                c.kafka().createTopics(), record, mapping, definition, writerDefinition, Optional.ofNullable(subscription), route);
    }
}
