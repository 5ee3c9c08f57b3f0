package io.kwsync.ingest.job;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.runtime.kafka.TopicProvisioner;
import io.kwsync.ingest.pipeline.RecordMapper;
import io.kwsync.ingest.pipeline.RowsRouting;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.model.job.LoadResult;
import io.kwsync.ingest.schedule.WindowTime;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
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

    private final IngestMode mode;
    private final JobConfig jobConfig;
    private final IngestConfig ingest;
    private final Instance<RecordMapper> mapper;
    private final Instance<RowsRouting> routing;
    private final TopicProvisioner topics;
    private final Clock clock;
    private final JobMetrics metrics;
    private final Map<String, Object> kafkaConfig;
    private final String compression;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName();

    private volatile JobDefinition def;
    private StatusLog log;
    private Leadership leadership;
    private RunExecutor executor;
    private JobRunner runner;
    private Runs runs;

    public JobService(IngestMode mode, JobConfig jobConfig, IngestConfig ingest, Instance<RecordMapper> mapper,
                      Instance<RowsRouting> routing, TopicProvisioner topics, Clock clock, JobMetrics metrics,
                      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.mode = mode;
        this.jobConfig = jobConfig;
        this.ingest = ingest;
        this.mapper = mapper;
        this.routing = routing;
        this.topics = topics;
        this.clock = clock;
        this.metrics = metrics;
        this.kafkaConfig = kafkaConfig;
        this.compression = ingest.rows().compression();
    }

    void onStart(@Observes StartupEvent event) {
        if (mode.mode() != IngestMode.Mode.JOB) return;
        var problems = new InvalidConfigurationException.Collector();
        JobDefinition d = JobDefinition.from(jobConfig, ingest, RawSettings.of(ConfigProvider.getConfig()), problems);
        problems.throwIfAny();
        KafkaClients clients = new KafkaClients(kafkaConfig);
        log = new StatusLog(d.statusTopic(), clients);
        log.start(ingest.kafka().createTopics());
        leadership = new Leadership(clients, d.statusTopic(), d.name(), LEADER_SESSION_TIMEOUT);
        metrics.leaderGauge(leadership::isLeader);
        executor = new RunExecutor(d, clients, mapper.get(), routing.get(), topics.rowsPartitions(), ingest.rows().topic(),
                ingest.error().topic(), compression, log, clock, owner, metrics);
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

    public RunStatus submit(Map<String, String> parameters, String scheduledTime) {
        return log.publish(runs.requested(parameters, scheduledTime));
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
