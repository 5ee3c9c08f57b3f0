package io.kwsync.sink.consume;

import io.kwsync.model.DeadLetter;
import io.kwsync.runtime.kafka.Topics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sink's Kafka clients for the error topic: an idempotent producer (acks=all) that takes records as large as the
 * internal topics, and a consumer without a group that tells where the topic ends ({@link #mark}) and which refusals
 * this connector published after a mark ({@link #publishedSince}). Both are opened on first use and have deadlines:
 * a send is acknowledged or failed within {@link #DELIVERY}, a look-up gives up after {@link #LOOKUP}. Used by the
 * writer thread only.
 */
final class ErrorTopic implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ErrorTopic.class);
    private static final Duration DELIVERY = Duration.ofSeconds(60);
    private static final Duration LOOKUP = Duration.ofSeconds(60);

    private final Map<String, Object> kafkaConfig;
    private final String topic;
    private final String connector;
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;

    ErrorTopic(Map<String, Object> kafkaConfig, String topic, String connector) {
        this.kafkaConfig = kafkaConfig;
        this.topic = topic;
        this.connector = connector;
    }

    /**
     * Publishes the letters and returns once the broker acknowledged every one. Each is sent cut to fit the producer's
     * limit ({@link Topics#MAX_MESSAGE_BYTES}); one the topic refuses as too large is sent again cut to fit a
     * {@link DeadLetterRecord#smaller smaller} limit; any other failure is thrown after every send has completed, so that
     * a later attempt never races one still in flight.
     */
    void publish(List<DeadLetterRecord> letters) {
        Map<DeadLetterRecord, Long> limits = new HashMap<>(); // letter -> the limit it was last cut for, once refused
        List<DeadLetterRecord> pending = letters;
        while (!pending.isEmpty()) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(pending.size());
            try {
                for (DeadLetterRecord l : pending) {
                    acks.add(producer().send(l.fitted(limits.getOrDefault(l, (long) Topics.MAX_MESSAGE_BYTES))));
                }
            } finally {
                producer().flush(); // also when a send threw: nothing of this attempt may still be in flight after it
            }
            List<DeadLetterRecord> again = new ArrayList<>();
            RuntimeException failure = null;
            for (int i = 0; i < pending.size(); i++) {
                DeadLetterRecord l = pending.get(i);
                try {
                    acks.get(i).get(DELIVERY.toSeconds() + 30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    long next = l.smaller(limits.getOrDefault(l, (long) Topics.MAX_MESSAGE_BYTES));
                    if (e.getCause() instanceof RecordTooLargeException && next > 0) {
                        LOG.warnf("the dead letter of %s is too large for the error topic %s (%s); sending it cut to fit %d bytes",
                                l.origin().coordinates(), topic, e.getCause().getMessage(), next);
                        limits.put(l, next);
                        again.add(l);
                    } else if (failure == null) {
                        failure = new IllegalStateException("error topic " + topic + " did not take a dead letter: " + e.getCause(), e.getCause());
                    }
                } catch (TimeoutException e) {
                    if (failure == null) failure = new IllegalStateException("error topic " + topic + " did not acknowledge a dead letter in time", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while publishing dead letters", e);
                }
            }
            if (failure != null) throw failure;
            pending = again;
        }
    }

    /** Where each partition of the topic ends now, as text: {@code 0:17,1:4,...}. */
    String mark() {
        Map<TopicPartition, Long> end = consumer().endOffsets(partitions(), LOOKUP);
        StringBuilder sb = new StringBuilder();
        end.forEach((tp, offset) -> sb.append(sb.isEmpty() ? "" : ",").append(tp.partition()).append(':').append(offset));
        return sb.toString();
    }

    /**
     * Of the wanted source records ({@link #coordinates}), those this connector published a refusal of (stage WRITE)
     * at or after the earliest of the marks; reads the topic from there to where it ends now.
     */
    Set<String> publishedSince(List<String> marks, Set<String> wanted) {
        Map<Integer, Long> from = new HashMap<>();
        for (String mark : marks) {
            for (String part : mark.split(",")) {
                int colon = part.indexOf(':');
                if (colon > 0) from.merge(Integer.parseInt(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1)), Math::min);
            }
        }
        KafkaConsumer<byte[], byte[]> c = consumer();
        List<TopicPartition> parts = partitions();
        c.assign(parts);
        for (TopicPartition tp : parts) c.seek(tp, from.getOrDefault(tp.partition(), 0L)); // a partition added since: all of it
        Map<TopicPartition, Long> end = c.endOffsets(parts, LOOKUP);
        Set<String> found = new HashSet<>();
        long deadline = System.nanoTime() + LOOKUP.toNanos();
        while (parts.stream().anyMatch(tp -> c.position(tp, LOOKUP) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("error topic " + topic + " could not be read back within " + LOOKUP.toSeconds() + " s");
            }
            for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                Headers h = r.headers();
                if (!connector.equals(text(h, DeadLetter.CONNECTOR)) || !"WRITE".equals(text(h, DeadLetter.STAGE))) continue;
                String key = coordinates(text(h, DeadLetter.TOPIC), text(h, DeadLetter.PARTITION), text(h, DeadLetter.OFFSET),
                        text(h, DeadLetter.ROW));
                if (wanted.contains(key)) found.add(key);
            }
        }
        c.unsubscribe();
        return found;
    }

    /** How {@link #publishedSince} names a refused row: its source record and which of its rows ({@link DeadLetter#ROW}, or null). */
    static String coordinates(String topic, Object partition, Object offset, String row) {
        return topic + "\u0000" + partition + "\u0000" + offset + (row == null ? "" : "\u0000" + row);
    }

    private static String text(Headers headers, String name) {
        var h = headers.lastHeader(name); // ours come after the source's own headers of the same name
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private List<TopicPartition> partitions() {
        var infos = consumer().partitionsFor(topic, LOOKUP);
        if (infos == null || infos.isEmpty()) throw new IllegalStateException("error topic " + topic + " does not exist");
        return infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> p = filter(ProducerConfig.configNames());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.CLIENT_ID_CONFIG, "kwsync-dead-letters");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            // a refused row may be as large as the rows topic allows; the dead letter must be sendable too
            p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
            p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, (long) Topics.MAX_MESSAGE_BYTES + (1 << 20));
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) DELIVERY.toMillis() / 2);
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY.toMillis());
            p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DELIVERY.toMillis());
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        if (consumer == null) {
            Map<String, Object> c = filter(ConsumerConfig.configNames());
            c.remove(ConsumerConfig.GROUP_ID_CONFIG);
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            c.put(ConsumerConfig.CLIENT_ID_CONFIG, "kwsync-dead-letters-lookup");
            c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return consumer;
    }

    private Map<String, Object> filter(Set<String> names) {
        Map<String, Object> out = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (names.contains(k)) out.put(k, v);
        });
        return out;
    }

    @Override
    public void close() {
        if (producer != null) producer.close(Duration.ofSeconds(10));
        if (consumer != null) consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
