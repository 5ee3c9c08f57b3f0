package io.kwsync.ingest.job;

import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.config.JobControl;
import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.publish.RowsPublishers;
import io.kwsync.ingest.schedule.WindowTime;
import io.kwsync.model.job.LoadResult;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job connector of a job-mode or writer-mode deployment: starts the status log, the leadership, the scheduler and
 * the runner for the deployment's kind of job ({@link JobKind}: the window job, or a kind another package contributes
 * as a bean, the Kafka Writer), and serves the HTTP API's requests. In stream mode it does nothing.
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
    private final Instance<JobKind> kinds;

    private volatile JobControl def;
    private JobKind kind;
    private StatusLog log;
    private Leadership leadership;
    private RunHandler executor;
    private JobRunner runner;
    private Runs runs;

    public JobService(IngestSettings settings, RowsPublishers publishers, KafkaClients clients, Clock clock, JobMetrics metrics,
                      Instance<JobKind> kinds) {
        this.settings = settings;
        this.publishers = publishers;
        this.clients = clients;
        this.clock = clock;
        this.metrics = metrics;
        this.kinds = kinds;
    }

    void onStart(@Observes StartupEvent event) {
        JobKind k = settings.job().<JobKind>map(d -> new WindowJob(d, publishers, clients, metrics, clock,
                settings.record().valueColumns()))
                .orElseGet(() -> kinds.stream().filter(JobKind::enabled).findFirst().orElse(null));
        if (k == null) return;
        JobControl d = k.control();
        log = new StatusLog(d.statusTopic(), clients);
        log.start(settings.createTopics());
        leadership = new Leadership(clients, d.statusTopic(), d.name(), LEADER_SESSION_TIMEOUT);
        metrics.leaderGauge(leadership::isLeader);
        executor = k.handler(log);
        runs = new Runs(d, k::checkRequest, k.knownParameters(), clock);
        runner = new JobRunner(log, leadership, executor, new JobScheduler(d, log, runs, clock));
        leadership.start();
        runner.start();
        kind = k;
        def = d;
        LOG.infof("%s, schedule %s, zone %s", k, d.schedule() == null ? "none (on request)" : d.schedule(), d.zone());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (def == null) return;
        leadership.close();
        runner.stop();
        executor.close();
        log.close();
    }

    /** The window job, when this deployment runs one. */
    public Optional<JobDefinition> definition() {
        return def == null ? Optional.empty() : settings.job();
    }

    /** The name of the job (of either kind), when this deployment runs one. */
    public Optional<String> name() {
        return def == null ? Optional.empty() : Optional.of(def.name());
    }

    /** What the job's kind shows about it (GET /api/jobs/NAME). */
    public Map<String, Object> describe() {
        return kind.describe();
    }

    /** The schedule and rerun settings. */
    public JobControl control() {
        return def;
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
