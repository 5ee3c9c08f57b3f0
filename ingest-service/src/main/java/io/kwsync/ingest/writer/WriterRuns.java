package io.kwsync.ingest.writer;

import io.kwsync.ingest.config.WriterDefinition;
import io.kwsync.ingest.job.JobMetrics;
import io.kwsync.ingest.job.JobRunException;
import io.kwsync.ingest.job.RunAttempt;
import io.kwsync.ingest.job.RunHandler;
import io.kwsync.ingest.job.RunLog;
import io.kwsync.ingest.job.RunStatus;
import io.kwsync.ingest.job.Superseded;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.tables.RowSource;
import io.kwsync.ingest.tables.SourceException;
import io.kwsync.ingest.tables.SourceRead;
import io.kwsync.ingest.tables.TableSources;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTxnTimeoutException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The Kafka Writer's runs on the leader: RUNNING, then SUCCEEDED with the records written, or FAILED (with a retry
 * time when the rerun policy applies). Exactly once into the topic for a window, its reruns and retries:
 * <ol>
 *   <li>a window (topic and resolved source) that a run has already written is not written again: the run succeeds
 *   at once, naming that run ({@code alreadyWrittenBy});</li>
 *   <li>otherwise the run opens the job's transactional producer, which fences any earlier one (a replica that lost
 *   leadership and still runs) and aborts its open transaction, and then reads the ledger: a run committed but not
 *   yet recorded as SUCCEEDED counts as written;</li>
 *   <li>every record, every dead letter and the new ledger entry are sent in one transaction, committed at the end;
 *   anything that stops the run before the commit leaves nothing visible to read_committed readers.</li>
 * </ol>
 * A run found RUNNING by a new leader is settled from the ledger: SUCCEEDED when it committed, else FAILED and rerun.
 */
final class WriterRuns implements RunHandler {

    private static final Logger LOG = Logger.getLogger(WriterRuns.class);

    private final WriterDefinition def;
    private final RunLog log;
    private final KafkaClients clients;
    private final JobMetrics metrics;
    private final WriterMetrics writerMetrics;
    private final Clock clock;

    WriterRuns(WriterDefinition def, RunLog log, KafkaClients clients, JobMetrics metrics, WriterMetrics writerMetrics, Clock clock) {
        this.def = def;
        this.log = log;
        this.clients = clients;
        this.metrics = metrics;
        this.writerMetrics = writerMetrics;
        this.clock = clock;
    }

    /** What identifies the data of a run: the topic and the resolved source. */
    static String windowKey(WriterDefinition def, SourceRead read) {
        return def.topic() + " <- " + read.describe();
    }

    @Override
    public RunStatus execute(RunStatus queued, BooleanSupplier current) {
        RunStatus started = RunAttempt.start(queued, log, clock);
        // a run's transaction must end before the broker aborts it: the shorter of the two limits applies
        long limit = Math.min(def.control().timeout().toMillis(), def.transactionTimeout().toMillis() - 5_000);
        RunAttempt a = new RunAttempt(started.toBuilder(), current, started.startedAt() + Math.max(1_000, limit),
                Duration.ofMillis(Math.max(1_000, limit)), 0, log, clock);
        try (TopicOutput output = new TopicOutput(clients, def)) {
            SourceRead read;
            try {
                read = SourceRead.resolve(def.source(), queued.parameters());
            } catch (ExpressionException e) {
                throw new JobRunException("invalid run parameters: " + e.getMessage(), false, e);
            }
            String window = windowKey(def, read);
            a.status().windowKey = window;
            Optional<String> writtenBy = writtenBefore(window, queued.id());
            if (writtenBy.isPresent()) return alreadyWritten(a, writtenBy.get());
            output.open();
            a.check();
            Ledger last = output.lastCommitted();
            if (last != null && last.wrote(window) && !last.run().equals(queued.id())) return alreadyWritten(a, last.run());
            RowsToTopic body = new RowsToTopic(def, output, metrics, writerMetrics,
                    new DirtyRows(def.errorTopic(), def.control().name(), def.topic(), def.control().zone()), Throttle.of(def.bytesPerSecond()));
            try {
                write(output, body, read, a);
            } catch (RowsToTopic.DirtyLimitException e) {
                if (def.transactional()) {
                    output.abortQuietly();
                    showDirtyRows(output, body);
                }
                throw e;
            }
            output.commit(def.transactional() ? Ledger.next(last, queued.id(), window, body.records(), body.dirtyRows()) : null);
            return succeeded(a, body.records());
        } catch (Superseded e) {
            throw e;
        } catch (ProducerFencedException | InvalidProducerEpochException e) {
            throw new Superseded(); // a newer leader opened the job's producer: it settles this run
        } catch (JobRunException e) {
            if (fenced(e)) throw new Superseded();
            return fail(a, e);
        } catch (SourceException e) {
            return fail(a, new JobRunException("source: " + e.getMessage(), e.retriable(), e));
        } catch (InvalidTxnTimeoutException e) {
            return fail(a, new JobRunException("KWSYNC_WRITER_TRANSACTION_TIMEOUT (" + def.transactionTimeout() + ") is longer"
                    + " than the brokers allow (their transaction.max.timeout.ms): " + e.getMessage(), false, e));
        } catch (AuthorizationException e) {
            return fail(a, new JobRunException("Kafka refused the writer (it needs Write on the topic and the error topic, Write"
                    + " on the transactional id " + TopicOutput.transactionalId(def.control().name()) + " and Read on the group "
                    + Ledger.group(def.control().name()) + "): " + e.getMessage(), false, e));
        } catch (KafkaException | IllegalStateException e) {
            if (fenced(e)) throw new Superseded();
            return fail(a, new JobRunException("Kafka: " + e.getMessage(), true, e));
        }
    }

    /** A send refused because a newer producer of the job exists: another replica leads and settles this run. */
    private static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    private void write(TopicOutput output, RowsToTopic body, SourceRead read, RunAttempt a) {
        try (RowSource rows = TableSources.open(def.source(), read, def.control().timeout())) {
            a.publishProgress(true);
            output.begin();
            body.write(rows, read.describe(), a);
        }
    }

    /** The dead letters of a run that failed on its dirty-row limit, in a transaction of their own, so they can be seen. */
    private static void showDirtyRows(TopicOutput output, RowsToTopic body) {
        try {
            output.open();
            output.begin();
            for (ProducerRecord<byte[], byte[]> r : body.dirtyRowsKept()) output.send(r, null);
            output.commit(null);
        } catch (KafkaException e) {
            LOG.warnf("could not write the dirty rows of a failed run to the error topic: %s", e.getMessage());
        }
    }

    /** The run that wrote this window before, from the status topic: a SUCCEEDED run of the same window. */
    private Optional<String> writtenBefore(String window, String runId) {
        return log.runs().stream()
                .filter(r -> r.state() == RunStatus.State.SUCCEEDED && window.equals(r.windowKey()) && !r.id().equals(runId))
                .map(r -> r.alreadyWrittenBy() != null ? r.alreadyWrittenBy() : r.id())
                .reduce((newer, older) -> older);
    }

    private RunStatus alreadyWritten(RunAttempt a, String by) {
        a.status().alreadyWrittenBy = by;
        LOG.infof("run %s: its window was written by run %s; nothing is written again", a.status().id, by);
        return succeeded(a, 0);
    }

    private RunStatus succeeded(RunAttempt a, long records) {
        RunStatus.Builder b = a.status();
        b.state = RunStatus.State.SUCCEEDED;
        b.finishedAt = clock.millis();
        b.written = Map.of(def.topic(), records);
        b.error = null;
        publishFinal(a);
        metrics.finished(RunStatus.State.SUCCEEDED);
        LOG.infof("job run %s succeeded: %d records written to %s", b.id, records, def.topic());
        return log.run(b.id).orElseGet(b::build);
    }

    /** The run is committed: its status must follow, so a failed publish is repeated until the run's time is up. */
    private void publishFinal(RunAttempt a) {
        while (true) {
            try {
                a.publish();
                return;
            } catch (JobRunException e) {
                LOG.warnf("cannot record that run %s succeeded yet: %s", a.status().id, e.getMessage());
                a.pause(1_000); // throws once the run must stop: the next leader settles it from the ledger
            }
        }
    }

    private RunStatus fail(RunAttempt a, JobRunException e) {
        metrics.finished(RunStatus.State.FAILED);
        return a.fail(e, def.control().rerunTimes(), def.control().rerunInterval());
    }

    /** The writer never leaves a run LOADING; should one be found, it is settled like an interrupted one. */
    @Override
    public RunStatus resume(RunStatus loading, BooleanSupplier current) {
        settle(loading);
        return log.run(loading.id()).orElse(loading);
    }

    /**
     * A run its leader left RUNNING: the job's producer is opened (which ends the old leader's transaction one way or
     * the other) and the ledger says whether the run committed. If it cannot be read, this throws, and the runner
     * tries again before it starts anything else.
     */
    @Override
    public void settle(RunStatus r) {
        Ledger last = null;
        if (def.transactional()) {
            try (TopicOutput output = new TopicOutput(clients, def)) {
                output.open();
                last = output.lastCommitted();
            }
        }
        if (last != null && last.run().equals(r.id())) {
            RunStatus.Builder b = r.toBuilder();
            b.finishedAt = clock.millis();
            b.state = RunStatus.State.SUCCEEDED;
            b.written = Map.of(def.topic(), last.records());
            b.error = null;
            log.publish(b.build());
            LOG.infof("run %s had committed %d records before its replica %s stopped; recorded as succeeded", r.id(), last.records(), r.owner());
            return;
        }
        RunAttempt.interrupted(r, def.transactional() ? "; nothing of it was committed" : "; records it sent stay on the topic"
                + " (KWSYNC_WRITER_ACKS is not all)", def.control().rerunTimes(), log, clock);
    }

    @Override
    public void close() {
        // each run opens and closes its own producer
    }
}
