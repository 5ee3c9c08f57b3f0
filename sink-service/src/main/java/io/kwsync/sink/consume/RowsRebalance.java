package io.kwsync.sink.consume;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The rows channel's rebalance listener (mp.messaging.incoming.rows.consumer-rebalance-listener.name): before
 * partitions go to another replica, the rows consumer commits what the destination holds for them
 * ({@link RowsConsumer#handOver}) and their offsets are committed here, on the consumer's own thread, so that the next
 * owner starts after them. The channel's commit strategy has already let go of those partitions when this runs, so
 * its own commits would not cover what became durable just now.
 */
@ApplicationScoped
@Identifier(RowsRebalance.NAME)
public class RowsRebalance implements KafkaConsumerRebalanceListener {

    static final String NAME = "kwsync-rows-rebalance";
    private static final Logger LOG = Logger.getLogger(RowsRebalance.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(30);

    private final RowsConsumer rows;

    public RowsRebalance(RowsConsumer rows) {
        this.rows = rows;
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) return;
        Map<TopicPartition, Long> positions = rows.handOver(partitions);
        if (positions.isEmpty()) return;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        positions.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
        try {
            consumer.commitSync(offsets, COMMIT_TIMEOUT);
        } catch (KafkaException e) {
            // what was committed to the destination is skipped by the next owner through the destination's own record
            LOG.warnf("could not commit the offsets of partitions handed over (%s): %s", offsets, e.getMessage());
        }
    }

    /** Partitions taken away without a revocation (this member was too slow): commit what is held, offsets cannot be. */
    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) rows.handOver(partitions);
    }
}
