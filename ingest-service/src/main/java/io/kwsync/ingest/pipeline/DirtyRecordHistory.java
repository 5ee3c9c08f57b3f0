package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.kafka.Origins;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The dirty records a connector has already sent to the error topic, read once at start so that
 * KWSYNC_ERROR_LIMIT counts across restarts: the source coordinates of every error record whose headers name this
 * connector and one of its source topics (the sink's records, about rows the destination refused, name the rows
 * topic and are not counted). The error topic is the durable count; nothing else is stored. Records the topic's
 * retention has deleted no longer count.
 */
public final class DirtyRecordHistory {

    private static final Logger LOG = Logger.getLogger(DirtyRecordHistory.class);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(2);

    private DirtyRecordHistory() {
    }

    /** Reads the error topic from its beginning to its current end. */
    public static Set<String> read(KafkaClients clients, String errorTopic, String connector, Predicate<String> sourceTopics) {
        long started = System.nanoTime();
        Set<String> found = new HashSet<>();
        // no group and no commits: it reads from seekToBeginning; a reset (segments deleted meanwhile) goes to the end, as before
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest"))) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(errorTopic, READ_TIMEOUT)
                    .forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, READ_TIMEOUT));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!done(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the error topic " + errorTopic + " to its end within "
                            + READ_TIMEOUT.toSeconds() + "s (needed for KWSYNC_ERROR_LIMIT)");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String coordinates = coordinates(r, connector, sourceTopics);
                    if (coordinates != null) found.add(coordinates);
                }
            }
        }
        LOG.infof("%d dirty records of connector %s already on the error topic %s (read in %d ms); they count against"
                + " KWSYNC_ERROR_LIMIT", found.size(), connector, errorTopic, (System.nanoTime() - started) / 1_000_000);
        return found;
    }

    private static boolean done(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        return end.isEmpty();
    }

    /** topic-partition@offset of a dirty record of this connector's sources, or null for any other error record. */
    static String coordinates(ConsumerRecord<byte[], byte[]> r, String connector, Predicate<String> sourceTopics) {
        List<Header> headers = Origins.headers(r.headers());
        String topic = DeadLetter.header(headers, DeadLetter.TOPIC);
        if (!connector.equals(DeadLetter.header(headers, DeadLetter.CONNECTOR)) || !sourceTopics.test(topic)) return null;
        String partition = DeadLetter.header(headers, DeadLetter.PARTITION);
        String offset = DeadLetter.header(headers, DeadLetter.OFFSET);
        if (partition == null || offset == null) return null;
        return topic + "-" + partition + "@" + offset;
    }
}
