package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.sink.DestinationPreview;
import io.kwsync.sink.config.DestinationCheck;
import io.kwsync.sink.config.SinkConfig;
import io.kwsync.sink.health.DestinationHealth;
import io.kwsync.sink.job.JobLoadStore;
import io.kwsync.sink.job.JobRuns;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Map;

/**
 * The MaxCompute destination (KWSYNC_SINK_TYPE=maxcompute): its parts as beans named {@value #TYPE}, which
 * {@code Destinations} picks when the type names it. Nothing is created unless it is picked: the check reads the
 * settings at start, the sink connects and checks the project and table at start, the job store (its own SDK client
 * and its own reader and writer of the progress topic) on the first job item.
 */
@ApplicationScoped
public class MaxComputeDestination {

    static final String TYPE = "maxcompute";
    private static final Logger LOG = Logger.getLogger(MaxComputeDestination.class);

    private final MaxComputeConfig config;
    private final SinkConfig sink;
    private final Map<String, Object> kafkaConfig;
    private volatile MaxComputeSettings settings;

    public MaxComputeDestination(MaxComputeConfig config, SinkConfig sink,
                                 @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.sink = sink;
        this.kafkaConfig = kafkaConfig;
    }

    @Produces
    @Identifier(TYPE)
    @Singleton
    @Unremovable
    DestinationCheck check() {
        return problems -> settings = MaxComputeSettings.read(config, sink, problems);
    }

    /** The settings the check read (read here if it did not run, as in a test that builds no service). */
    private MaxComputeSettings settings() {
        if (settings == null) {
            var problems = new InvalidConfigurationException.Collector();
            settings = MaxComputeSettings.read(config, sink, problems);
            problems.throwIfAny();
        }
        return settings;
    }

    /** Singleton, not proxied: picking it connects, so wrong credentials or a missing project stop the start. */
    @Produces
    @Identifier(TYPE)
    @Singleton
    @Unremovable
    MaxComputeRowSink rowSink(Clock clock, MeterRegistry registry) {
        MaxComputeSettings m = settings();
        Odps odps = MaxComputeClients.odps(m, clock);
        SdkCalls calls = new SdkCalls(m.callTimeout());
        TableCatalog catalog = new TableCatalog(odps, m.project(), calls, m.tableCacheSize());
        MaxComputeClients.checkAtStart(m, odps, catalog, calls);
        CommitLog log = new CommitLog(kafkaConfig, m.progressTopic(), m.createTopics());
        LOG.infof("MaxCompute sink ready: project %s at %s, %s, table %s, write mode %s, sessions committed every %s or at %d bytes",
                m.project(), m.endpoint(), m.credentials(), m.table() == null ? "(each row's own)" : m.table(), m.writeMode().name().toLowerCase(),
                m.pacing().interval(), m.pacing().bytes());
        ColumnAdder columns = m.autoAddColumns() ? new ColumnAdder(odps, m.project(), calls, catalog, m.autoColumnsMax(), registry) : null;
        return new MaxComputeRowSink(odps, m.project(), m.table(), m.writeMode(), catalog,
                new TunnelSessions(MaxComputeClients.tunnel(m, odps), m.project(), MaxComputeClients.compression(m), calls), log,
                m.pacing(), clock, columns);
    }

    /** The mapping preview's destination side (POST /api/preview of sink-service), with a client of its own. */
    @Produces
    @Identifier(TYPE)
    @ApplicationScoped
    @Unremovable
    DestinationPreview preview(Clock clock) {
        MaxComputeSettings m = settings();
        return new MaxComputePreview(MaxComputeClients.odps(m, clock), m.project(), new SdkCalls(m.callTimeout()),
                m.autoAddColumns());
    }

    void close(@Disposes @Identifier(TYPE) MaxComputeRowSink sink) {
        sink.close();
    }

    /** Window jobs: keeps each run's state in the progress topic under keys of its own. */
    @Produces
    @Identifier(TYPE)
    @ApplicationScoped
    @Unremovable
    JobLoadStore jobs(Clock clock) {
        MaxComputeSettings m = settings();
        Odps odps = MaxComputeClients.odps(m, clock);
        CommitLog log = new CommitLog(kafkaConfig, m.progressTopic(), m.createTopics());
        SdkCalls calls = new SdkCalls(m.callTimeout());
        return new JobRuns<>(new MaxComputeRunStore(log, m.project(), m.table()),
                new MaxComputeStaging(m.project(), new TableCatalog(odps, m.project(), calls), MaxComputeClients.tunnel(m, odps),
                        MaxComputeClients.compression(m), calls), clock);
    }

    void close(@Disposes @Identifier(TYPE) JobLoadStore jobs) {
        jobs.close();
    }

    @Produces
    @Identifier(TYPE)
    @Singleton
    @Unremovable
    DestinationHealth health(@Identifier(TYPE) MaxComputeRowSink rowSink) {
        String description = "maxcompute project " + settings().project() + " at " + settings().endpoint();
        return new DestinationHealth() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public boolean reachable() {
                return rowSink.isReachable();
            }

            @Override
            public String problem() {
                return rowSink.problem();
            }
        };
    }
}
