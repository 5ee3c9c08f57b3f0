package io.kwsync.ingest.pipeline;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The committable offsets of one source consumer, used on its loop's thread only: per partition the offset after the
 * last record whose row or dead letter is durable (and every earlier one's). They only move forward, and only for
 * partitions the consumer still owns, so a commit never goes back nor overwrites the commit of a partition's next
 * owner. Commits are asynchronous after each poll (a failed one is retried with the next) and synchronous, with a
 * deadline, when partitions are given up and at shutdown.
 */
final class SourceOffsets {

    private static final Logger LOG = Logger.getLogger(SourceOffsets.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Duration commitTimeout;
    /** Everything committable, committed or not. */
    private final Map<TopicPartition, Long> durable = new HashMap<>();
    /** What no commit request carried yet. */
    private final Map<TopicPartition, Long> uncommitted = new HashMap<>();

    SourceOffsets(Consumer<byte[], byte[]> consumer, Duration commitTimeout) {
        this.consumer = consumer;
        this.commitTimeout = commitTimeout;
    }

    /** A poll completed: its offsets become committable, for the partitions the consumer still owns. */
    void durable(Map<TopicPartition, Long> next) {
        if (next.isEmpty()) return;
        Set<TopicPartition> owned = consumer.assignment();
        next.forEach((tp, offset) -> {
            if (!owned.contains(tp)) return;
            Long before = durable.get(tp);
            if (before == null || offset > before) {
                durable.put(tp, offset);
                uncommitted.put(tp, offset);
            }
        });
    }

    /** Sends what is not committed yet; a failure puts it back for the next commit. */
    void commitAsync() {
        if (uncommitted.isEmpty()) return;
        Map<TopicPartition, OffsetAndMetadata> request = request(uncommitted);
        uncommitted.clear();
        consumer.commitAsync(request, (offsets, e) -> {
            if (e == null) return;
            LOG.debugf("offset commit failed, retried with the next: %s", e.toString());
            for (TopicPartition tp : offsets.keySet()) {
                Long latest = durable.get(tp); // the latest, never the failed (maybe older) offset
                if (latest != null) uncommitted.putIfAbsent(tp, latest);
            }
        });
    }

    /**
     * Commits everything committable and waits for it, at most the commit timeout.
     *
     * @throws org.apache.kafka.common.KafkaException when the commit fails or times out
     */
    void commitSync() {
        if (durable.isEmpty()) return;
        consumer.commitSync(request(durable), commitTimeout);
        uncommitted.clear();
    }

    /** The partitions are given up: nothing more is committed for them. */
    void forget(Collection<TopicPartition> partitions) {
        durable.keySet().removeAll(partitions);
        uncommitted.keySet().removeAll(partitions);
    }

    private static Map<TopicPartition, OffsetAndMetadata> request(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        offsets.forEach((tp, o) -> out.put(tp, new OffsetAndMetadata(o)));
        return out;
    }
}
