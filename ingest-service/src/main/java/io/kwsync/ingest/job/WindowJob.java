package io.kwsync.ingest.job;

import io.kwsync.ingest.route.TableTemplate;
import io.kwsync.ingest.config.JobControl;
import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.publish.RowsPublishers;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.WindowStart;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The window job of a job-mode deployment as a {@link JobKind}: each run reads one window of the source topic
 * ({@link WindowReader}) into the rows topic ({@link RunOutput}) and waits for the sink's verdict ({@link RunExecutor}).
 */
final class WindowJob implements JobKind {

    private final JobDefinition def;
    private final RowsPublishers publishers;
    private final KafkaClients clients;
    private final JobMetrics metrics;
    private final Clock clock;

    private final boolean valueColumns;

    WindowJob(JobDefinition def, RowsPublishers publishers, KafkaClients clients, JobMetrics metrics, Clock clock) {
        this(def, publishers, clients, metrics, clock, false);
    }

    /**
     * @param valueColumns the record mapper's partition holds value columns (KWSYNC_PARTITION_FIELDS): they are added
     *                     to the run's partition, and the run replaces the partitions its rows go to
     */
    WindowJob(JobDefinition def, RowsPublishers publishers, KafkaClients clients, JobMetrics metrics, Clock clock,
              boolean valueColumns) {
        this.valueColumns = valueColumns;
        this.def = def;
        this.publishers = publishers;
        this.clients = clients;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public JobControl control() {
        return def.control();
    }

    /** A request's window must be valid, and must end early enough for a run to wait for it. */
    static void checkRequest(JobDefinition def, Map<String, String> values, Clock clock, boolean allowEmpty) {
        RunWindow window = RunWindow.resolve(def, values, allowEmpty);
        WindowStart start = WindowStart.decide(window.end(), clock.instant(), def.timeout());
        if (!start.immediately()) throw new ExpressionException(start.reason());
    }

    @Override
    public void checkRequest(Map<String, String> values, Clock clock, boolean allowEmpty) {
        checkRequest(def, values, clock, allowEmpty);
    }

    @Override
    public java.util.Set<String> knownParameters() {
        return def.knownParameters();
    }

    @Override
    public Map<String, Object> describe() {
        JobDefinition d = def;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", d.name());
        out.put("topic", d.topic());
        out.put("sourcePartition", d.sourcePartition());
        out.put("table", d.table());
        out.put("destinationPartition", d.destinationPartition() == null ? "none" : d.destinationPartition().toString());
        out.put("latePartition", d.latePartition() == null ? null : d.latePartition().toString());
        out.put("begin", (d.begin().byTime() ? d.begin().dateTime() : d.begin().offset()).toString());
        out.put("end", (d.end().byTime() ? d.end().dateTime() : d.end().offset()).toString());
        out.put("timeZone", d.zone().getId());
        out.put("parameters", d.parameters().toString());
        out.put("completion", d.completion().name().toLowerCase().replace('_', '-'));
        out.put("start", d.start().name().toLowerCase().replace('_', '-'));
        out.put("skipExceedRecord", d.skipExceedRecord());
        return out;
    }

    @Override
    public RunHandler handler(RunLog log) {
        // the job's producer exports no kafka_producer_* series: those describe the streaming path's producer
        RunOutput output = new RunOutput(publishers.create("kwsync-job-rows-" + def.name(), producer -> { }), metrics,
                TableTemplate.isTemplate(def.table()), valueColumns);
        return new RunExecutor(def, log, new WindowReader(def, clients, log, output, metrics, clock), output, metrics, clock);
    }

    @Override
    public String toString() {
        return "window job " + def.name() + ": topic " + def.topic() + " -> " + def.table() + " "
                + (def.destinationPartition() == null ? "(whole table)" : def.destinationPartition());
    }
}
