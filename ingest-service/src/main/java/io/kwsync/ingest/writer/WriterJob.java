package io.kwsync.ingest.writer;

import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.config.JobControl;
import io.kwsync.ingest.config.WriterDefinition;
import io.kwsync.ingest.config.WriterSource;
import io.kwsync.ingest.job.JobKind;
import io.kwsync.ingest.job.JobMetrics;
import io.kwsync.ingest.job.RunHandler;
import io.kwsync.ingest.job.RunLog;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.outbound.RecordLayout;
import io.kwsync.ingest.tables.SourceRead;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka Writer as a kind of job (KWSYNC_INGEST_MODE=writer): rows of a table, read through JDBC or a MaxCompute
 * download session, written as records to a topic, one transaction per run ({@link WriterRuns}). Scheduled, rerun and
 * served over HTTP by the job machinery like a window job.
 */
@ApplicationScoped
public class WriterJob implements JobKind {

    private final IngestSettings settings;
    private final KafkaClients clients;
    private final JobMetrics metrics;
    private final WriterMetrics writerMetrics;
    private final Clock clock;

    public WriterJob(IngestSettings settings, KafkaClients clients, JobMetrics metrics, WriterMetrics writerMetrics, Clock clock) {
        this.settings = settings;
        this.clients = clients;
        this.metrics = metrics;
        this.writerMetrics = writerMetrics;
        this.clock = clock;
    }

    private WriterDefinition def() {
        return settings.writer().orElseThrow();
    }

    @Override
    public boolean enabled() {
        return settings.writer().isPresent();
    }

    @Override
    public JobControl control() {
        return def().control();
    }

    /** The values must make a statement (or partition) the source can be asked for. */
    @Override
    public void checkRequest(Map<String, String> values, Clock clock, boolean allowEmpty) {
        SourceRead.resolve(def().source(), values);
    }

    @Override
    public Map<String, Object> describe() {
        WriterDefinition d = def();
        WriterSource s = d.source();
        RecordLayout l = d.layout();
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("type", s.kind().name().toLowerCase(java.util.Locale.ROOT));
        if (s.jdbc() != null) source.put("jdbcUrl", s.jdbc().url());
        if (s.maxCompute() != null) source.put("project", s.maxCompute().project());
        source.put("query", s.query() == null ? null : s.query().toString());
        source.put("table", s.table());
        source.put("columns", s.columns().isEmpty() ? "all" : String.join(",", s.columns()));
        source.put("where", s.where() == null ? null : s.where().toString());
        source.put("partition", s.partition() == null ? null : s.partition().toString());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", d.control().name());
        out.put("kind", "kafka-writer");
        out.put("source", source);
        out.put("topic", d.topic());
        out.put("keyIndex", l.keyIndex());
        out.put("keyIndexes", l.keyIndexes());
        out.put("valueIndex", l.valueIndex());
        out.put("writeMode", l.writeMode().name().toLowerCase(java.util.Locale.ROOT));
        out.put("column", l.fields().stream().map(f -> f.name() + ":" + f.type()).toList());
        out.put("fieldDelimiter", escaped(l.fieldDelimiter()));
        out.put("keyType", l.keyType().name());
        out.put("valueType", l.valueType().name());
        out.put("partition", d.partition());
        out.put("acks", d.acks());
        out.put("exactlyOnce", d.transactional());
        out.put("batchSize", d.batchSize());
        out.put("errorLimit", d.errorLimit() < 0 ? null : d.errorLimit());
        out.put("speedBytesPerSecond", d.bytesPerSecond() == 0 ? null : d.bytesPerSecond());
        out.put("transactionTimeout", d.transactionTimeout().toString());
        out.put("timeZone", d.control().zone().getId());
        out.put("parameters", d.control().parameters().toString());
        return out;
    }

    /** The delimiter with its control characters written as escapes, as an operator would write it. */
    static String escaped(String delimiter) {
        StringBuilder sb = new StringBuilder();
        for (char c : delimiter.toCharArray()) {
            switch (c) {
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\\' -> sb.append("\\\\");
                default -> sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return sb.toString();
    }

    @Override
    public RunHandler handler(RunLog log) {
        return new WriterRuns(def(), log, clients, metrics, writerMetrics, clock);
    }

    @Override
    public String toString() {
        WriterDefinition d = def();
        return "Kafka Writer " + d.control().name() + ": " + d.source().kind().name().toLowerCase(java.util.Locale.ROOT) + " "
                + (d.source().query() != null ? "query" : d.source().table()) + " -> topic " + d.topic()
                + (d.transactional() ? " (transactional, exactly once)" : " (acks=" + d.acks() + ", not transactional)");
    }
}
