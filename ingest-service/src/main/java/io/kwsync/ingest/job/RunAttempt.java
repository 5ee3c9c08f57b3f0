package io.kwsync.ingest.job;

import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * The mutable state of one attempt at a run, owned by the runner thread: the status being built, the offsets planned
 * and reached per source partition, the counts, and the first failed send (recorded by the producer's I/O thread).
 * {@link #check()} is where a run notices that it must stop: leadership moved, the deadline passed, a send failed.
 * Public for the other kinds of job ({@link JobKind}), which count through {@link #counted}.
 */
public final class RunAttempt {

    private static final Logger LOG = Logger.getLogger(RunAttempt.class);
    private static final long PROGRESS_EVERY_MS = 2_000;
    /** This replica, as the runs it executes name their owner. */
    public static final String OWNER = ManagementFactory.getRuntimeMXBean().getName();

    final RunStatus.Builder b;
    private final BooleanSupplier current;
    private final long deadline;
    private final Duration timeout;
    private final RunLog log;
    private final Clock clock;
    Map<TopicPartition, OffsetPlan.Range> ranges = new LinkedHashMap<>();
    final Map<TopicPartition, Long> position = new HashMap<>();
    final long[] rowsPerPartition;
    long read, rows, dirty, skipped, late;
    /** Whether anything reached the rows topic, so the sink may have staged something to abort. */
    boolean sentAnything;
    /** The destinations rows were sent to, when value columns make them differ by row (see RunOutput#replaced). */
    final java.util.Set<io.kwsync.model.Destination> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private long lastProgress;
    private final AtomicReference<Exception> sendError = new AtomicReference<>();

    /**
     * @param current  false once this replica must stop (leadership moved or the service stops)
     * @param deadline epoch millis by which the run must be concluded (KWSYNC_JOB_TIMEOUT after its start)
     */
    public RunAttempt(RunStatus.Builder b, BooleanSupplier current, long deadline, Duration timeout, int rowsPartitions,
                      RunLog log, Clock clock) {
        this.b = b;
        this.current = current;
        this.deadline = deadline;
        this.timeout = timeout;
        this.rowsPerPartition = new long[rowsPartitions];
        this.log = log;
        this.clock = clock;
    }

    /** Publishes a queued run as RUNNING on this replica, from now. */
    public static RunStatus start(RunStatus queued, RunLog log, Clock clock) {
        RunStatus.Builder b = queued.toBuilder();
        b.state = RunStatus.State.RUNNING;
        b.owner = OWNER;
        b.startedAt = clock.millis();
        return log.publish(b.build());
    }

    /**
     * Publishes the attempt as FAILED with the reason and, when the error may pass and reruns are left, the time of its
     * rerun. A failure to publish is only logged: the run stays RUNNING and the next leader settles it.
     *
     * @return the run as the status log has it
     */
    public RunStatus fail(JobRunException e, int rerunTimes, Duration rerunInterval) {
        b.state = RunStatus.State.FAILED;
        b.finishedAt = clock.millis();
        b.error = e.getMessage();
        b.retriable = e.retriable();
        boolean rerun = e.retriable() && b.attempt <= rerunTimes;
        b.retryAt = rerun ? b.finishedAt + rerunInterval.toMillis() : null;
        LOG.warnf("job run %s failed (attempt %d%s): %s", b.id, b.attempt, rerun ? ", will rerun" : "", e.getMessage());
        try {
            publish();
        } catch (JobRunException publishFailed) {
            LOG.errorf("cannot record the failure of run %s: %s", b.id, publishFailed.getMessage());
        }
        return log.run(b.id).orElseGet(b::build);
    }

    /**
     * Publishes a run whose replica went away while running it as FAILED, to be rerun at once while reruns are left.
     *
     * @param what what became of its work, for the reason
     */
    public static void interrupted(RunStatus r, String what, int rerunTimes, RunLog log, Clock clock) {
        RunStatus.Builder b = r.toBuilder();
        b.state = RunStatus.State.FAILED;
        b.finishedAt = clock.millis();
        b.error = "interrupted: replica " + r.owner() + " stopped or lost leadership while running it" + what;
        b.retriable = true;
        b.retryAt = r.attempt() <= rerunTimes ? clock.millis() : null;
        log.publish(b.build());
        LOG.warnf("run %s was interrupted on %s; %s", r.id(), r.owner(), b.retryAt == null ? "no rerun left" : "rerunning");
    }

    /** The status being built. */
    public RunStatus.Builder status() {
        return b;
    }

    /** Adds to the counts: records read, rows (or records) written, dirty records. */
    public void counted(long read, long rows, long dirty) {
        this.read += read;
        this.rows += rows;
        this.dirty += dirty;
    }

    /** @throws Superseded or {@link JobRunException} when the attempt must stop */
    public void check() {
        if (!current.getAsBoolean()) throw new Superseded();
        if (clock.millis() > deadline) {
            throw new JobRunException("the run took longer than KWSYNC_JOB_TIMEOUT (" + timeout + ")", true);
        }
        Exception e = sendError.get();
        if (e != null) throw new JobRunException("publishing to Kafka failed: " + e.getMessage(), true, e);
    }

    /** Waits for a change of the status view, at most {@code millis}, after a {@link #check()}. */
    public void pause(long millis) {
        check();
        try {
            log.awaitChange(Math.max(1, millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Superseded();
        }
    }

    /** Called from the producer's I/O thread; the runner fails the attempt at its next {@link #check()}. */
    public void sendFailed(Exception e) {
        sendError.compareAndSet(null, e);
    }

    /** Publishes the status with the counts and positions reached. */
    public void publish() {
        b.counts = new RunStatus.Counts(read, rows, dirty, skipped, late);
        List<RunStatus.PartitionProgress> parts = new ArrayList<>();
        ranges.forEach((tp, range) -> parts.add(new RunStatus.PartitionProgress(tp.partition(), range.start(), range.end(),
                position.getOrDefault(tp, range.start()))));
        b.partitions = parts;
        RunStatus s = log.publish(b.build());
        b.revision = s.revision();
        lastProgress = clock.millis();
    }

    /** Publishes the progress when forced or every few seconds. */
    public void publishProgress(boolean force) {
        if (force || clock.millis() - lastProgress >= PROGRESS_EVERY_MS) publish();
    }
}
