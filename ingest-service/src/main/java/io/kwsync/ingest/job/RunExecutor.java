package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobConfig;
import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.WindowStart;
import io.kwsync.model.Destination;
import io.kwsync.model.job.LoadResult;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The state machine of one run on the leader: QUEUED, then WAITING (until an end-offset window's end time has passed),
 * RUNNING (its window is read and published, {@link WindowReader}, {@link RunOutput}), LOADING (END markers sent,
 * waiting for the sink's verdict on the status topic), and SUCCEEDED, with the window's end offsets committed to the
 * connector's group, or FAILED (with a retry time when the rerun policy applies). Every state is published on the
 * status topic before the next step; a run the leader left while LOADING is resumed by the next one.
 */
final class RunExecutor implements RunHandler {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);

    private final JobDefinition def;
    private final RunLog log;
    private final WindowReader reader;
    private final RunOutput output;
    private final JobMetrics metrics;
    private final Clock clock;

    RunExecutor(JobDefinition def, RunLog log, WindowReader reader, RunOutput output, JobMetrics metrics, Clock clock) {
        this.def = def;
        this.log = log;
        this.reader = reader;
        this.output = output;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Executes a queued run to its end; returns the final status (already published), or throws {@link Superseded}. */
    @Override
    public RunStatus execute(RunStatus queued, BooleanSupplier current) {
        RunStatus started = RunAttempt.start(queued, log, clock);
        RunAttempt a = attempt(started.toBuilder(), current, started.startedAt());
        try {
            RunWindow w;
            try {
                w = RunWindow.resolve(def, queued.parameters(), queued.emptyAllowed());
            } catch (ExpressionException e) {
                throw new JobRunException("invalid run parameters: " + e.getMessage(), false, e);
            }
            a.b.window = w.status(def.zone().getId());
            a.b.windowKey = w.windowKey();
            a.b.replaces = w.replaces().stream().map(d -> d.partition().isEmpty() ? "(whole table)" : d.partitionSpec()).toList();
            WindowStart start = WindowStart.decide(w.end(), clock.instant(), def.timeout());
            if (!start.immediately()) throw new JobRunException(start.reason(), false);
            if (w.end() != null && def.completion() == JobConfig.Completion.END_OFFSET && clock.instant().isBefore(w.end())) {
                a.b.state = RunStatus.State.WAITING;
                a.publish();
                while (clock.instant().isBefore(w.end())) a.pause(Math.min(500, w.end().toEpochMilli() - clock.millis()));
                a.b.state = RunStatus.State.RUNNING;
            }
            try (KafkaConsumer<byte[], byte[]> consumer = reader.consumer(queued.id())) {
                a.ranges = reader.plan(consumer, w, queued.id());
                a.publishProgress(true);
                reader.read(consumer, w, a);
                finishRead(a, w);
                LoadResult load = awaitLoad(queued.id(), a);
                return conclude(consumer, a, load);
            }
        } catch (Superseded e) {
            // once the END markers are out the run belongs to the sink: the next leader resumes it and waits for the
            // verdict, so an abort here would only throw away a load that can still succeed
            output.abortQuietly(queued.id(), a.sentAnything && a.b.state != RunStatus.State.LOADING);
            throw e;
        } catch (JobRunException e) {
            return fail(a, e);
        } catch (KafkaException | IllegalStateException e) {
            return fail(a, new JobRunException("Kafka: " + e.getMessage(), true, e));
        }
    }

    /** Picks up a run a previous leader left waiting for the sink: waits for the verdict and concludes it. */
    @Override
    public RunStatus resume(RunStatus loading, BooleanSupplier current) {
        RunStatus.Builder b = loading.toBuilder();
        b.owner = RunAttempt.OWNER;
        RunAttempt a = attempt(b, current, loading.startedAt() == null ? clock.millis() : loading.startedAt());
        a.sentAnything = true;
        a.ranges = new LinkedHashMap<>();
        if (loading.partitions() != null) {
            for (RunStatus.PartitionProgress p : loading.partitions()) {
                a.ranges.put(new TopicPartition(def.topic(), p.partition()), new OffsetPlan.Range(p.start(), p.end()));
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = reader.committer()) {
            return conclude(consumer, a, awaitLoad(loading.id(), a));
        } catch (JobRunException e) {
            return fail(a, e);
        } catch (KafkaException e) {
            return fail(a, new JobRunException("Kafka: " + e.getMessage(), true, e));
        }
    }

    private RunAttempt attempt(RunStatus.Builder b, BooleanSupplier current, long startedAt) {
        return new RunAttempt(b, current, startedAt + def.timeout().toMillis(), def.timeout(), output.rowsPartitions(), log, clock);
    }

    /** All rows are acknowledged; then every rows partition gets the END marker with its count. */
    private void finishRead(RunAttempt a, RunWindow w) {
        List<Destination> replaces = output.replaced(a, w.replaces());
        a.b.replaces = replaces.stream().map(d -> d.partition().isEmpty() ? "(whole table)" : d.partitionSpec()).toList();
        output.end(a, replaces);
        a.b.state = RunStatus.State.LOADING;
        a.b.rowsPartitions = output.rowsPartitions();
        a.publish();
        LOG.infof("job run %s read %d records (%d rows, %d dirty, %d late); waiting for the sink", a.b.id, a.read, a.rows,
                a.dirty, a.late);
    }

    private LoadResult awaitLoad(String runId, RunAttempt a) {
        while (true) {
            LoadResult l = log.load(runId).orElse(null);
            if (l != null) return l;
            a.pause(500);
        }
    }

    private RunStatus conclude(KafkaConsumer<byte[], byte[]> consumer, RunAttempt a, LoadResult load) {
        if (load.state() != LoadResult.State.COMMITTED) {
            throw new JobRunException("the sink did not load the run (" + load.state().name().toLowerCase()
                    + (load.reason() == null ? "" : ": " + load.reason()) + ")", true);
        }
        reader.commitForward(consumer, a.ranges);
        RunStatus.Builder b = a.b;
        b.state = RunStatus.State.SUCCEEDED;
        b.finishedAt = clock.millis();
        b.written = load.written();
        b.rejected = load.rejected();
        b.error = null;
        a.publish();
        metrics.finished(RunStatus.State.SUCCEEDED);
        LOG.infof("job run %s succeeded: %s", b.id, load.written());
        return log.run(b.id).orElseThrow();
    }

    private RunStatus fail(RunAttempt a, JobRunException e) {
        output.abortQuietly(a.b.id, a.sentAnything);
        metrics.finished(RunStatus.State.FAILED);
        return a.fail(e, def.rerunTimes(), def.rerunInterval());
    }

    /**
     * A run that was reading when its leader went away cannot be resumed: the sink is told to drop what it staged
     * (best effort; it also ignores an unfinished run) and the run fails, for the rerun policy to repeat.
     */
    @Override
    public void settle(RunStatus r) {
        output.abortQuietly(r.id(), true);
        RunAttempt.interrupted(r, "", def.rerunTimes(), log, clock);
    }

    @Override
    public void close() {
        output.close();
    }
}
