package io.kwsync.sink.job;

import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.config.Destinations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The rows consumer hands job rows and markers here: they go to the destination's {@link JobLoadStore}, and each run
 * it decides is reported on the job status topic before the items are acknowledged. Streaming rows never come here.
 * The store is looked up on the first job item, so a streaming connector never opens what a job load needs.
 */
@Singleton
public class JobLoads {

    private static final Logger LOG = Logger.getLogger(JobLoads.class);

    private final Destinations destinations;
    private final Instance<JobLoadStore> stores;
    private final JobStatusPublisher publisher;
    private final Counter staged;
    private final Map<LoadResult.State, Counter> decided = new EnumMap<>(LoadResult.State.class);
    private final Counter written;
    private JobLoadStore store;

    public JobLoads(Destinations destinations, @Any Instance<JobLoadStore> stores, JobStatusPublisher publisher,
                    MeterRegistry registry) {
        this.destinations = destinations;
        this.stores = stores;
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

    /** The destination's store; its producer closes it at shutdown. */
    private synchronized JobLoadStore store() throws SinkException {
        if (store == null) {
            store = destinations.find(stores).orElseThrow(() -> new SinkException("the " + destinations.type()
                    + " destination (KWSYNC_SINK_TYPE) does not load window jobs", false, null));
        }
        return store;
    }
}
