package io.kwsync.ingest.pipeline;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sends of one poll of the source topics and the offsets they make committable: completes when the broker
 * acknowledged every row and dead letter sent for the poll's records, fails at the first failed send. Until then none
 * of {@link #next()} may be committed; after it, all of them may, once every earlier poll of the same consumer
 * completed too (the consumer's loop awaits them in order).
 * <p>
 * Counts the acknowledged rows and dead letters and adds them to the metrics once per poll (when the last callback
 * came, or, once the poll failed, at each later callback), not once per record: a meter update per record cost the
 * producer's I/O thread a fifth of its time. Every acknowledged send is counted exactly once.
 */
final class SourceBatch {

    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicInteger pending = new AtomicInteger(1); // 1 until armed: no completion while sending
    private final AtomicInteger rows = new AtomicInteger();
    private final AtomicInteger deadLetters = new AtomicInteger();
    private final IngestMetrics metrics;
    /** Per source partition, the offset after the last record done with (published, dead-lettered or skipped). */
    private final Map<TopicPartition, Long> next = new HashMap<>();
    // one callback object per poll and kind: the outcome of a send is all a callback needs
    private final Callback rowSent = (metadata, e) -> completed(e, rows);
    private final Callback deadLetterSent = (metadata, e) -> completed(e, deadLetters);

    SourceBatch(IngestMetrics metrics) {
        this.metrics = metrics;
    }

    /** A row is about to be sent: the callback to give its send. */
    Callback row() {
        pending.incrementAndGet();
        return rowSent;
    }

    /** A dead letter is about to be sent: the callback to give its send. */
    Callback deadLetter() {
        pending.incrementAndGet();
        return deadLetterSent;
    }

    /** The record at {@code offset} is done with once the sends issued so far are acknowledged. */
    void done(TopicPartition tp, long offset) {
        next.put(tp, offset + 1);
    }

    /** The offsets to commit once this poll completed; the consumer's loop drops the partitions it lost. */
    Map<TopicPartition, Long> next() {
        return next;
    }

    private void completed(Exception e, AtomicInteger acknowledged) {
        if (e != null) {
            fail(e);
        } else {
            acknowledged.incrementAndGet();
        }
        if (pending.decrementAndGet() == 0) {
            done.complete(null); // no effect once failed
            count();
        } else if (failed()) {
            count();
        }
    }

    /** Adds the acknowledgements not yet counted to the metrics (each one once: taken with getAndSet). */
    void count() {
        int r = rows.getAndSet(0);
        if (r > 0) metrics.published(r);
        int d = deadLetters.getAndSet(0);
        if (d > 0) metrics.deadLettered(d);
    }

    void fail(Throwable e) {
        done.completeExceptionally(e);
    }

    boolean failed() {
        return done.isCompletedExceptionally();
    }

    /** Every send of the poll was issued: from here on the poll completes with its last acknowledgement. */
    SourceBatch arm() {
        if (pending.decrementAndGet() == 0) {
            done.complete(null);
            count();
        }
        return this;
    }

    /** Completes when every send was acknowledged, exceptionally at the first failure. */
    CompletableFuture<Void> completion() {
        return done;
    }
}
