package io.kwsync.sink.maxcompute;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sink's record of tunnel commits, kept in a compacted Kafka topic (the task offset topic of DataWorks' connectors,
 * {@code connect-offset-NAME}) so that any replica, after any crash, can tell committed rows from lost ones.
 *
 * <p>Per source partition it keeps a {@link Progress}: every row at or below {@code through} is in MaxCompute, and
 * the rows above it sit in the tunnel sessions it lists ({@link Pending}), each with the range of source offsets it
 * holds: sessions still open (their rows are not in MaxCompute unless a later record says the session is committing),
 * sessions being committed (their rows are in MaxCompute if and only if the session was committed, which the tunnel
 * can still tell for a day), and sessions committed whose range is still above {@code through}. Before committing a
 * session the sink records it as committing (and waits for the broker); after, as committed. Partitions that a job
 * already overwrote are kept as markers, so that a replay appends instead of overwriting again. The window-job store
 * keeps each run's state under {@code job/<run id>} (see {@link MaxComputeRunStore}); each reader ignores the other's keys.
 *
 * <p>Not thread-safe: the single writer thread owns it.
 */
final class CommitLog implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(CommitLog.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SOURCE = "src/";
    private static final String OVERWRITTEN = "ow/";
    private static final String JOB = "job/";

    /**
     * A tunnel session holding rows of one source partition with offsets in [min, max] for one table partition, in one
     * of the states below; {@code blocks} upload blocks (ids 0 to blocks - 1). Records written before sessions stayed
     * open have no state: they were written just before the commit, so they count as committing.
     */
    record Pending(String table, String spec, String job, String session, long min, long max, boolean overwrite, boolean upsert,
                   String state, int blocks) {

        static final String OPEN = "open";
        static final String COMMITTING = "committing";
        static final String COMMITTED = "committed";

        /** The state, records without one counting as committing. */
        String stateOrCommitting() {
            return state == null ? COMMITTING : state;
        }
    }

    /** What is known to be in MaxCompute for one source partition. */
    record Progress(long through, List<Pending> pending) {
        static final Progress NONE = new Progress(-1, List.of());
    }

    private final String topic;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, Progress> progress = new HashMap<>();
    private final Set<String> overwritten = new HashSet<>();
    /** Window-job run id -> the job store's state of that run, as recorded. */
    private final Map<String, byte[]> jobs = new HashMap<>();
    private List<TopicPartition> partitions = List.of();

    CommitLog(Map<String, Object> kafkaConfig, String topic, boolean create) {
        this.topic = topic;
        if (create) createTopic(kafkaConfig, topic);
        Map<String, Object> p = filter(kafkaConfig, ProducerConfig.configNames());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // a record that cannot be delivered fails within the writer's own deadlines instead of the default two minutes
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "kwsync-commit-log");
        producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        Map<String, Object> c = filter(kafkaConfig, ConsumerConfig.configNames());
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "kwsync-commit-log");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        if (!create) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                close();
                throw new IllegalStateException("progress topic " + topic + " (KWSYNC_MAXCOMPUTE_PROGRESS_TOPIC) does not exist"
                        + " and KWSYNC_KAFKA_CREATE_TOPICS is false; create it with cleanup.policy=compact");
            }
        }
    }

    private static Map<String, Object> filter(Map<String, Object> config, Set<String> names) {
        Map<String, Object> out = new HashMap<>();
        config.forEach((k, v) -> {
            if (names.contains(k)) out.put(k, v);
        });
        return out;
    }

    private static void createTopic(Map<String, Object> kafkaConfig, String topic) {
        Map<String, Object> a = filter(kafkaConfig, AdminClientConfig.configNames());
        try (AdminClient admin = AdminClient.create(a)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(30, TimeUnit.SECONDS);
            LOG.infof("created the compacted progress topic %s", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the progress topic " + topic
                        + " (KWSYNC_MAXCOMPUTE_PROGRESS_TOPIC): " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("cannot create the progress topic " + topic + ": " + e, e);
        }
    }

    /**
     * Reads what other writers (an earlier run, a replica that owned a partition before) recorded, up to now. What this
     * writer sent is delivered first, so that reading it back cannot put an older state over a newer one.
     */
    void catchUp() {
        producer.flush();
        if (partitions.isEmpty()) {
            // a topic created a moment ago may not be in the broker's metadata yet: ask again until the deadline
            long known = System.nanoTime() + TIMEOUT.toNanos();
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            while ((infos == null || infos.isEmpty()) && System.nanoTime() < known) {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
                infos = consumer.partitionsFor(topic, TIMEOUT);
            }
            if (infos == null || infos.isEmpty()) throw new IllegalStateException("progress topic " + topic + " does not exist");
            List<TopicPartition> tps = new ArrayList<>();
            infos.forEach(i -> tps.add(new TopicPartition(topic, i.partition())));
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            partitions = tps;
        }
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!reached(end)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out reading the progress topic " + topic);
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) apply(r.key(), r.value());
        }
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) return false;
        }
        return true;
    }

    private void apply(byte[] key, byte[] value) {
        if (key == null) return;
        String k = new String(key, StandardCharsets.UTF_8);
        if (k.startsWith(OVERWRITTEN)) {
            if (value == null) overwritten.remove(k.substring(OVERWRITTEN.length()));
            else overwritten.add(k.substring(OVERWRITTEN.length()));
        } else if (k.startsWith(JOB)) {
            if (value == null) jobs.remove(k.substring(JOB.length()));
            else jobs.put(k.substring(JOB.length()), value);
        } else if (k.startsWith(SOURCE)) {
            try {
                if (value == null) progress.remove(k.substring(SOURCE.length()));
                else progress.put(k.substring(SOURCE.length()), JSON.readValue(value, new TypeReference<Progress>() {
                }));
            } catch (IOException e) {
                LOG.warnf("ignoring an unreadable progress record %s: %s", k, e.getMessage());
            }
        }
    }

    static String sourceKey(String topic, int partition) {
        return topic + "/" + partition;
    }

    static String overwriteKey(String job, String table, String spec) {
        return (job == null ? "-" : job) + "/" + table + "/" + spec;
    }

    Progress progress(String sourceKey) {
        return progress.getOrDefault(sourceKey, Progress.NONE);
    }

    boolean overwritten(String key) {
        return overwritten.contains(key);
    }

    /** Records progress (and overwrite markers); when {@code sync}, returns only once the broker has everything. */
    void record(Map<String, Progress> updates, Set<String> newlyOverwritten, boolean sync) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try {
            for (String ow : newlyOverwritten) {
                acks.add(producer.send(new ProducerRecord<>(topic, 0, bytes(OVERWRITTEN + ow), new byte[]{1})));
            }
            for (Map.Entry<String, Progress> e : updates.entrySet()) {
                acks.add(producer.send(new ProducerRecord<>(topic, 0, bytes(SOURCE + e.getKey()), JSON.writeValueAsBytes(e.getValue()))));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode progress", e);
        }
        progress.putAll(updates);
        overwritten.addAll(newlyOverwritten);
        if (!sync) return;
        try {
            for (Future<RecordMetadata> f : acks) f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot record progress in " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording progress", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out recording progress in " + topic, e);
        }
    }

    /** Waits until the broker has everything sent so far (bounded by the producer's delivery timeout). */
    void flush() {
        producer.flush();
    }

    /** The recorded state of a window-job run, or null when none was recorded. */
    byte[] job(String runId) {
        return jobs.get(runId);
    }

    /** Records a window-job run's state and returns once the broker has it; only then does {@link #job} return it. */
    void recordJob(String runId, byte[] state) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, bytes(JOB + runId), state)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot record job run " + runId + " in " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recording job run " + runId, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out recording job run " + runId + " in " + topic, e);
        }
        jobs.put(runId, state);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        consumer.close(Duration.ofSeconds(5));
    }
}
