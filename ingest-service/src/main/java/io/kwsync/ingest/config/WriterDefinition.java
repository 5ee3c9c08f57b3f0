package io.kwsync.ingest.config;

import io.kwsync.ingest.mapping.KafkaType;
import io.kwsync.ingest.outbound.FieldDelimiter;
import io.kwsync.ingest.outbound.JsonField;
import io.kwsync.ingest.outbound.RecordLayout;
import io.kwsync.ingest.outbound.WriteMode;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The validated Kafka Writer of a writer-mode deployment: the job's schedule and reruns ({@link JobControl}), the
 * source ({@link WriterSource}), the topic and how a row becomes its record ({@link RecordLayout}), the producer's
 * acknowledgements and batches, the dirty-row limit, the throughput limit and the transaction timeout.
 *
 * @param partition      the fixed partition (partition), or null for the producer's partitioner
 * @param acks           "all", "1" or "0"; only "all" runs transactionally (exactly once)
 * @param errorLimit     dirty rows a run tolerates (errorLimit.record), -1 for no limit
 * @param bytesPerSecond the throughput limit (speed.mbps) in bytes of keys and values per second, 0 for none
 * @param errorTopic     where dirty rows go (KWSYNC_ERROR_TOPIC)
 */
public record WriterDefinition(JobControl control, WriterSource source, String topic, RecordLayout layout, Integer partition,
                               String acks, int batchSize, long errorLimit, long bytesPerSecond, Duration transactionTimeout,
                               String errorTopic) {

    /** speed.mbps counts binary megabytes. */
    public static final long BYTES_PER_MB = 1024 * 1024;

    /**
     * Window-job settings that mean nothing to the Kafka Writer, with their defaults (which the configuration reports as
     * set): set to anything else in writer mode, they are a mistake.
     */
    static final Map<String, String> WINDOW_ONLY = Map.ofEntries(Map.entry("begin-date-time", ""), Map.entry("end-date-time", ""),
            Map.entry("begin-offset", ""), Map.entry("end-offset", ""), Map.entry("source-partition", ""),
            Map.entry("destination-partition", ""), Map.entry("late-partition", ""), Map.entry("skip-exceed-record", "false"),
            Map.entry("completion", "end-offset"), Map.entry("idle-timeout", "1m"), Map.entry("start", "window"));

    /** With acks=all the runs are Kafka transactions: what a read_committed consumer sees is exactly once. */
    public boolean transactional() {
        return acks.equals("all");
    }

    /** Null when {@code problems} received something; each problem names its variable. */
    static WriterDefinition from(WriterConfig w, JobConfig job, IngestConfig ingest, Function<String, Optional<String>> raw,
                                 InvalidConfigurationException.Collector problems) {
        String name = ingest.connector().name().orElse("");
        WINDOW_ONLY.forEach((key, byDefault) -> problems.check(raw.apply("kwsync.job." + key).map(String::strip)
                        .filter(v -> !v.equalsIgnoreCase(byDefault)).isEmpty(), "kwsync.job." + key,
                "applies to window jobs (KWSYNC_INGEST_MODE=job), not to the Kafka Writer"));
        problems.check(ingest.source().topics().isEmpty(), "kwsync.source.topics", "is not read in writer mode: the Kafka"
                + " Writer reads KWSYNC_WRITER_SOURCE_* and writes to KWSYNC_WRITER_TOPIC");
        problems.check(ingest.destination().table().isEmpty(), "kwsync.destination.table", "is not read in writer mode:"
                + " the Kafka Writer reads KWSYNC_WRITER_SOURCE_TABLE or _QUERY");
        JobControl control = JobControl.from(job, name, raw, problems);
        WriterSource source = WriterSource.from(w.source(), raw, problems);
        if (source != null && control != null) {
            JobControl.checkScheduledParameters(job, control.parameters(), source.references(), "bizdate=$bizdate", problems);
        }
        String topic = w.topic().map(String::strip).orElse("");
        problems.check(!topic.isEmpty(), "kwsync.writer.topic", "is required: the topic the rows are written to");
        problems.check(!topic.equals(ingest.error().topic()), "kwsync.writer.topic", "must differ from KWSYNC_ERROR_TOPIC");
        problems.check(control == null || !topic.equals(control.statusTopic()), "kwsync.writer.topic", "must differ from KWSYNC_JOB_STATUS_TOPIC");
        RecordLayout layout = layout(w, control, problems);
        w.partition().ifPresent(p -> problems.check(p >= 0, "kwsync.writer.partition", "must be 0 or more"));
        String acks = w.acks().strip().toLowerCase(Locale.ROOT);
        if (acks.equals("-1")) acks = "all";
        problems.check(List.of("all", "1", "0").contains(acks), "kwsync.writer.acks", "'" + w.acks() + "' is not 0, 1 or all");
        problems.check(w.batchSize() >= 1 && w.batchSize() <= 1_000_000, "kwsync.writer.batch-size", "must be 1 to 1000000");
        w.errorLimit().ifPresent(l -> problems.check(l >= 0, "kwsync.writer.error-limit",
                "must be 0 or more (0: no dirty row; leave it unset for no limit)"));
        double mbps = w.speedMbps().orElse(0.0);
        problems.check(w.speedMbps().isEmpty() || Double.isFinite(mbps) && mbps >= 0.01 && mbps <= 100_000,
                "kwsync.writer.speed-mbps", "must be from 0.01 to 100000 (MB per second); leave it unset for no limit");
        Duration tx = w.transactionTimeout();
        problems.check(tx.compareTo(Duration.ofSeconds(1)) >= 0 && tx.compareTo(Duration.ofDays(1)) <= 0,
                "kwsync.writer.transaction-timeout", "must be from 1s to 24h (and at most the brokers' transaction.max.timeout.ms)");
        if (!problems.isEmpty()) return null;
        return new WriterDefinition(control, source, topic, layout, w.partition().orElse(null), acks, w.batchSize(),
                w.errorLimit().orElse(-1L), w.speedMbps().map(m -> Math.max(1, Math.round(m * BYTES_PER_MB))).orElse(0L), tx,
                ingest.error().topic());
    }

    private static RecordLayout layout(WriterConfig w, JobControl control, InvalidConfigurationException.Collector problems) {
        boolean ok = true;
        w.keyIndex().ifPresent(i -> problems.check(i >= 0, "kwsync.writer.key-index", "must be 0 or more"));
        w.valueIndex().ifPresent(i -> problems.check(i >= 0, "kwsync.writer.value-index", "must be 0 or more"));
        List<Integer> keyIndexes = w.keyIndexes().map(t -> indexes(t, problems)).orElse(null);
        if (w.keyIndex().isPresent() && w.keyIndexes().isPresent()) {
            ok = false;
            problems.problem("kwsync.writer.key-indexes", "and KWSYNC_WRITER_KEY_INDEX are both set; the key is one column or several");
        }
        WriteMode mode = WriteMode.parse(w.writeMode());
        problems.check(mode != null, "kwsync.writer.write-mode", "'" + w.writeMode() + "' is not text or json");
        boolean jsonValue = mode == WriteMode.JSON && w.valueIndex().isEmpty();
        List<JsonField> fields = List.of();
        if (w.column().isPresent()) {
            try {
                fields = JsonField.parseList(w.column().get());
            } catch (IllegalArgumentException e) {
                problems.problem("kwsync.writer.column", e.getMessage());
            }
            problems.check(jsonValue, "kwsync.writer.column", "applies only to KWSYNC_WRITER_WRITE_MODE=json without KWSYNC_WRITER_VALUE_INDEX");
        } else {
            problems.check(!jsonValue, "kwsync.writer.column", "is required with KWSYNC_WRITER_WRITE_MODE=json (unless"
                    + " KWSYNC_WRITER_VALUE_INDEX is set): the JSON field of each column, e.g. [{\"name\":\"id\",\"type\":\"JSON_NUMBER\"}]");
        }
        String delimiter = FieldDelimiter.DEFAULT;
        if (w.fieldDelimiter().isPresent()) {
            try {
                delimiter = FieldDelimiter.parse(w.fieldDelimiter().get());
            } catch (IllegalArgumentException e) {
                problems.problem("kwsync.writer.field-delimiter", e.getMessage());
            }
        }
        KafkaType keyType = KafkaType.parse(w.keyType());
        KafkaType valueType = KafkaType.parse(w.valueType());
        problems.check(keyType != null, "kwsync.writer.key-type", "'" + w.keyType() + "' is not one of " + KafkaType.names());
        problems.check(valueType != null, "kwsync.writer.value-type", "'" + w.valueType() + "' is not one of " + KafkaType.names());
        if (!ok || !problems.isEmpty() || control == null) return null;
        return new RecordLayout(w.keyIndex().orElse(null), keyIndexes, w.valueIndex().orElse(null), mode, fields, delimiter,
                w.nullKeyFormat().orElse(null), w.nullValueFormat().orElse(null), keyType, valueType, control.zone());
    }

    /** "0,2" or "[0, 2]". */
    private static List<Integer> indexes(String text, InvalidConfigurationException.Collector problems) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        List<Integer> out = new ArrayList<>();
        for (String part : t.split(",", -1)) {
            String p = part.strip();
            if (!p.matches("\\d{1,6}")) {
                problems.problem("kwsync.writer.key-indexes", "'" + text + "' is not a list of column indexes (0 or more) like 0,2");
                return null;
            }
            out.add(Integer.parseInt(p));
        }
        return out;
    }
}
