package io.kwsync.ingest.job;

import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.publish.RowsPublishers;
import io.kwsync.ingest.schedule.WindowTime;
import io.kwsync.model.job.LoadResult;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job connector of a job-mode deployment: starts the status log, the leadership, the scheduler and the runner,
 * and serves the HTTP API's requests. In stream mode it does nothing.
 */
@ApplicationScoped
public class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);
    static final Duration LEADER_SESSION_TIMEOUT = Duration.ofSeconds(10);

    private final IngestSettings settings;
    private final RowsPublishers publishers;
    private final KafkaClients clients;
    private final Clock clock;
    private final JobMetrics metrics;

    private volatile JobDefinition def;
    private StatusLog log;
    private Leadership leadership;
    private RunExecutor executor;
    private JobRunner runner;
    private Runs runs;

    public JobService(IngestSettings settings, RowsPublishers publishers, KafkaClients clients, Clock clock, JobMetrics metrics) {
        this.settings = settings;
        this.publishers = publishers;
        this.clients = clients;
        this.clock = clock;
        this.metrics = metrics;
    }

    void onStart(@Observes StartupEvent event) {
        if (settings.job().isEmpty()) return;
        JobDefinition d = settings.job().get();
        log = new StatusLog(d.statusTopic(), clients);
        log.start(settings.createTopics());
        leadership = new Leadership(clients, d.statusTopic(), d.name(), LEADER_SESSION_TIMEOUT);
        metrics.leaderGauge(leadership::isLeader);
        // the job's producer exports no kafka_producer_* series: those describe the streaming path's producer
        RunOutput output = new RunOutput(publishers.create("kwsync-job-rows-" + d.name(), producer -> { }), metrics);
        executor = new RunExecutor(d, log, new WindowReader(d, clients, log, output, metrics, clock), output, metrics, clock);
        runs = new Runs(d, clock);
        runner = new JobRunner(d, log, leadership, executor, new JobScheduler(d, log, runs, clock), clock);
        leadership.start();
        runner.start();
        def = d;
        LOG.infof("job %s: topic %s -> %s %s, schedule %s, zone %s", d.name(), d.topic(), d.table(),
                d.destinationPartition() == null ? "(whole table)" : d.destinationPartition(),
                d.schedule() == null ? "none (on request)" : d.schedule(), d.zone());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (def == null) return;
        leadership.close();
        runner.stop();
        executor.close();
        log.close();
    }

    /** The job, when this deployment runs one. */
    public Optional<JobDefinition> definition() {
        return Optional.ofNullable(def);
    }

    public boolean isLeader() {
        return def != null && leadership.isLeader();
    }

    public boolean ready() {
        return def != null && log.caughtUp() && threadsAlive();
    }

    /** The status reader, the leadership consumer and the runner threads are running. */
    public boolean threadsAlive() {
        return def != null && log.readerRunning() && leadership.alive() && runner.alive();
    }

    /** @param allowEmpty the run may replace its partitions with nothing */
    public RunStatus submit(Map<String, String> parameters, String scheduledTime, boolean allowEmpty) {
        return log.publish(runs.requested(parameters, scheduledTime, allowEmpty));
    }

    public Optional<RunStatus> rerun(String id) {
        return log.run(id).map(r -> log.publish(runs.rerun(r)));
    }

    public Optional<RunStatus> run(String id) {
        return log.run(id);
    }

    public Optional<LoadResult> load(String id) {
        return log.load(id);
    }

    public List<RunStatus> runs(int limit) {
        return log.runs().stream().limit(limit).toList();
    }

    public Optional<String> lastSlot() {
        return log.lastSlot();
    }

    /** The next slot after the last one fired (or after now, before the first), with its instant. */
    public Optional<String[]> nextSlot() {
        if (def.schedule() == null) return Optional.empty();
        LocalDateTime from = log.lastSlot().map(LocalDateTime::parse).orElseGet(runs::now);
        LocalDateTime next = def.schedule().nextAfter(from);
        return Optional.of(new String[]{next.toString(), WindowTime.toInstant(next, def.zone()).toString()});
    }

    public String statusTopic() {
        return log.topic();
    }
}
