package io.kwsync.ingest.job;

import io.kwsync.ingest.publish.RowsPublisher;
import io.kwsync.model.Destination;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.job.JobMarker;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;

/**
 * What job runs send, all through the service's one publisher (with a producer of the job's own): each record's row,
 * addressed to the run's partition (or the late one) under the run's id, or its dead letter; then, once every row is
 * acknowledged, an END marker with the row count in every rows partition, or ABORT markers when the run is given up.
 * One producer for rows and markers keeps each partition's END marker behind the run's rows.
 *
 * <p>A routed job (a template in KWSYNC_DESTINATION_TABLE) keeps the table each record's routing chose and takes only
 * the run's partition; its END markers say so, and the sink replaces the run's partitions in every table it got rows
 * for.
 */
final class RunOutput implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunOutput.class);

    private final RowsPublisher publisher;
    private final JobMetrics metrics;
    private final boolean routed;
    /** Whether the mapped row's partition holds value columns to add to the run's ({@link #replaced}). */
    private final boolean valueColumns;

    RunOutput(RowsPublisher publisher, JobMetrics metrics) {
        this(publisher, metrics, false, false);
    }

    /**
     * @param routed       the mapper routes each record to its own table
     * @param valueColumns the mapper's partition holds value columns (KWSYNC_PARTITION_FIELDS); never with routed,
     *                     which the configuration refuses
     */
    RunOutput(RowsPublisher publisher, JobMetrics metrics, boolean routed, boolean valueColumns) {
        if (routed && valueColumns) throw new IllegalArgumentException("a routed job with value columns");
        this.publisher = publisher;
        this.metrics = metrics;
        this.routed = routed;
        this.valueColumns = valueColumns;
    }

    /**
     * The partitions a run replaces: with value columns, those its rows went to (the run's partition with each value
     * seen, like an overwrite of dynamic partitions), or the window's when it brought no row; otherwise the window's.
     */
    List<Destination> replaced(RunAttempt a, List<Destination> window) {
        if (!valueColumns || a.written.isEmpty()) return window;
        List<Destination> out = new java.util.ArrayList<>(a.written);
        out.sort(java.util.Comparator.comparing(Destination::partitionSpec));
        return out;
    }

    int rowsPartitions() {
        return publisher.rowsPartitions();
    }

    /** Publishes one record of the run to {@code destination}, counting it in {@code a}. */
    void publish(Origin origin, byte[] value, Destination destination, RunAttempt a) {
        if (publisher.publish(origin, value, -1, new RunRecord(destination, a)) == RowsPublisher.Outcome.ROW) {
            a.rowsPerPartition[publisher.rowsPartition(origin)]++;
            a.rows++;
            metrics.published();
        }
    }

    /** The run's part in publishing one record. */
    private final class RunRecord implements RowsPublisher.Caller {
        private final Destination destination;
        private final RunAttempt a;

        RunRecord(Destination destination, RunAttempt a) {
            this.destination = destination;
            this.a = a;
        }

        @Override
        public RowEvent row(RowEvent mapped) {
            Destination d = destination;
            if (routed) {
                d = new Destination(mapped.destination().table(), destination.partition());
            } else if (valueColumns) {
                // the run's partition from its parameters, then the record's value columns
                java.util.Map<String, String> spec = new java.util.LinkedHashMap<>(destination.partition());
                mapped.destination().partition().forEach(spec::putIfAbsent);
                d = new Destination(destination.table(), spec);
                a.written.add(d);
            }
            return new RowEvent(mapped.origin(), d, mapped.columns(), a.b.id);
        }

        @Override
        public boolean takesSeveralRows() {
            return false; // END markers count rows-topic records as rows
        }

        @Override
        public boolean dirty(Origin origin, DirtyRecordException e) {
            a.dirty++;
            metrics.dirty();
            return true; // a run has no failure policy: every dirty record goes to the error topic
        }

        @Override
        public Callback sendingRow() {
            return sent(a);
        }

        @Override
        public Callback sendingDeadLetter() {
            return sent(a);
        }
    }

    private static Callback sent(RunAttempt a) {
        a.sentAnything = true;
        return (md, e) -> {
            if (e != null) a.sendFailed(e);
        };
    }

    /**
     * Once every row is acknowledged, sends every rows partition its END marker with its row count and whether the run
     * may replace its partitions with nothing, and waits.
     */
    void end(RunAttempt a, List<Destination> replaces) {
        publisher.flush();
        a.check();
        int partitions = rowsPartitions();
        for (int p = 0; p < partitions; p++) {
            JobMarker m = new JobMarker(JobMarker.Kind.END, a.b.id, replaces, partitions, p, a.rowsPerPartition[p],
                    Boolean.TRUE.equals(a.b.allowEmpty), routed);
            publisher.sendMarker(m, sent(a));
        }
        publisher.flush();
        a.check();
    }

    /** Tells the sink to drop what it staged for the run (best effort; the sink also ignores an unfinished run). */
    void abortQuietly(String runId, boolean needed) {
        if (!needed) return;
        try {
            int partitions = rowsPartitions();
            for (int p = 0; p < partitions; p++) {
                publisher.sendMarker(new JobMarker(JobMarker.Kind.ABORT, runId, List.of(), partitions, p, 0), null);
            }
            publisher.flush();
        } catch (KafkaException e) {
            LOG.warnf("could not send the abort markers of run %s: %s", runId, e.getMessage());
        }
    }

    @Override
    public void close() {
        publisher.close(Duration.ofSeconds(5));
    }
}
