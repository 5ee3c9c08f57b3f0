package io.kwsync.sink.consume;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows-topic records read but not yet acknowledged: first those whose rows wait to be written ({@link #hold}),
 * then, once written, each with the number of the write that holds its rows: a record is acknowledged once the sink
 * says that write is durable, never before. Only what acknowledging needs is kept of a poll, from the moment it
 * arrives (the last record of each rows partition: the channel's commit strategy tracks those), so that neither the
 * batch being gathered nor rows held open in the destination for minutes keep the polls' records in memory: a
 * 10,000-row batch would otherwise hold each row twice, as its Kafka record and as the decoded row.
 *
 * <p>Not thread-safe: the writer thread owns it.
 */
final class AckLedger {

    private record Entry(long write, List<Handle> records) {
    }

    /** A record to acknowledge, with where it is. */
    private record Handle(KafkaRecord<byte[], byte[]> record, TopicPartition partition, long offset) {
    }

    private final Deque<Entry> entries = new ArrayDeque<>();
    /** Of the polls whose rows are not written yet, the records to acknowledge once they are. */
    private List<Handle> held = new ArrayList<>();
    /** Per rows partition, the offset of the last record acknowledged. */
    private final Map<TopicPartition, Long> acked = new HashMap<>();

    /** A poll whose rows (decoded, the batch itself is let go) wait to be written. */
    void hold(KafkaRecordBatch<byte[], byte[]> batch) {
        batch.getLatestOffsetRecords().forEach((tp, r) -> held.add(new Handle(r, tp, r.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("a record of the rows channel without its offset")).getOffset())));
    }

    /** Whether polls wait to be written (a poll always has a last record in some partition). */
    boolean holding() {
        return !held.isEmpty();
    }

    /** The polls held went into write number {@code write} (or were settled without a write). */
    void written(long write) {
        if (!held.isEmpty()) entries.add(new Entry(write, held));
        held = new ArrayList<>();
    }

    /** Lets go of the polls held without acknowledging them (they are read again after a restart). */
    void dropHeld() {
        held = new ArrayList<>();
    }

    /** Acknowledges every record whose write is at or below {@code durable}. */
    void ackThrough(long durable) {
        while (!entries.isEmpty() && entries.peekFirst().write() <= durable) {
            for (Handle h : entries.pollFirst().records()) {
                h.record().ack();
                acked.merge(h.partition(), h.offset(), Math::max);
            }
        }
    }

    /** Offsets to commit for these partitions: one past the last record acknowledged, where there is one. */
    Map<TopicPartition, Long> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long last = acked.get(tp);
            if (last != null) out.put(tp, last + 1);
        }
        return out;
    }

    /** Forgets partitions handed to another consumer: their records are theirs to acknowledge now. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(acked::remove);
        for (Entry e : entries) e.records().removeIf(h -> partitions.contains(h.partition()));
        entries.removeIf(e -> e.records().isEmpty());
    }

    /** Fails every record still waiting, written or not (the sink gave up). */
    void nackAll(Throwable reason) {
        held.forEach(h -> h.record().nack(reason));
        dropHeld();
        for (Entry e : entries) e.records().forEach(h -> h.record().nack(reason));
        entries.clear();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
