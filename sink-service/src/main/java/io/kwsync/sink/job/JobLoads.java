package io.kwsync.sink.job;

import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.config.SinkConfig;
import io.kwsync.sink.jdbc.JdbcJobStore;
import io.kwsync.sink.maxcompute.MaxComputeSinks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The rows consumer hands job rows and markers here: they go to the destination's {@link JobLoadStore}, and each run
 * it decides is reported on the job status topic before the items are acknowledged. Streaming rows never come here.
 */
@Singleton
public class JobLoads {

    private static final Logger LOG = Logger.getLogger(JobLoads.class);

    private final SinkConfig config;
    private final Map<String, Object> kafkaConfig;
    private final Clock clock;
    private final JobStatusPublisher publisher;
    private final Counter staged;
    private final Map<LoadResult.State, Counter> decided = new EnumMap<>(LoadResult.State.class);
    private final Counter written;
    private JobLoadStore store;

    public JobLoads(SinkConfig config, Clock clock, JobStatusPublisher publisher, MeterRegistry registry,
                    @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.clock = clock;
        this.publisher = publisher;
        staged = Counter.builder("kwsync.job.items").description("Job rows and markers received from the rows topic")
                .register(registry);
        written = Counter.builder("kwsync.job.rows.written").description("Rows made visible by committed job runs")
                .register(registry);
        for (LoadResult.State s : LoadResult.State.values()) {
            decided.put(s, Counter.builder("kwsync.job.loads").description("Job runs decided by this sink")
                    .tag("state", s.name().toLowerCase()).register(registry));
        }
    }

    /** Stages the items and publishes every decision; on return everything is durable and may be acknowledged. */
    public void load(List<JobItem> items, RowSink.RejectHandler rejects) throws SinkException {
        if (items.isEmpty()) return;
        List<LoadResult> results = store().apply(items, rejects);
        for (LoadResult r : results) {
            publisher.publish(r);
            LOG.infof("job run %s %s in %s: %s%s", r.runId(), r.state().name().toLowerCase(), r.table(), r.written(),
                    r.reason() == null ? "" : " (" + r.reason() + ")");
        }
        staged.increment(items.size());
        for (LoadResult r : results) {
            decided.get(r.state()).increment();
            written.increment(r.writtenTotal());
        }
    }

    private synchronized JobLoadStore store() {
        if (store == null) {
            store = switch (config.sink().type()) {
                case JDBC -> JdbcJobStore.create(config, clock);
                case MAXCOMPUTE -> MaxComputeSinks.createJobStore(config, kafkaConfig, clock);
            };
        }
        return store;
    }

    @PreDestroy
    synchronized void close() {
        if (store != null) store.close();
    }
}
