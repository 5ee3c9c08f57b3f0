package io.kwsync.ingest.job;

import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.model.job.LoadResult;
import io.kwsync.runtime.kafka.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The job's shared memory: every replica reads the compacted status topic from the beginning into this view, and
 * writes through it. Runs requested on any replica, the sink's load results and the schedule position all arrive
 * here, so the leader acts on them and every replica can answer status requests.
 */
final class StatusLog implements RunLog, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(StatusLog.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final TopicPartition partition;
    private final KafkaClients clients;
    private final Map<String, RunStatus> runs = new ConcurrentHashMap<>();
    private final Map<String, LoadResult> loads = new ConcurrentHashMap<>();
    private volatile String lastSlot;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private final Object changed = new Object();
    private KafkaProducer<byte[], byte[]> producer;
    private KafkaConsumer<byte[], byte[]> consumer;
    private Thread reader;

    StatusLog(String topic, KafkaClients clients) {
        this.topic = topic;
        this.partition = new TopicPartition(topic, JobStatusTopic.PARTITION);
        this.clients = clients;
    }

    String topic() {
        return topic;
    }

    void start(boolean createTopic) {
        Topics.ensure(clients.settings(), Map.of(topic, 1), Map.of("cleanup.policy", "compact"), createTopic);
        producer = clients.producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "kwsync-job-status-" + topic,
                ProducerConfig.LINGER_MS_CONFIG, 0));
        consumer = clients.consumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "kwsync-job-status-reader-" + topic));
        reader = new Thread(this::read, "kwsync-job-status");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            if (end == 0) caughtUp = true;
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) apply(r);
                if (!caughtUp && consumer.position(partition) >= end) {
                    caughtUp = true;
                    LOG.infof("status topic %s read: %d runs, last schedule slot %s", topic, runs.size(), lastSlot);
                }
                signal();
            }
        } catch (WakeupException e) {
            if (running) LOG.error("status reader woken unexpectedly", e);
        } catch (RuntimeException e) {
            LOG.error("status reader of " + topic + " stopped", e);
            running = false;
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) return;
        String key = new String(r.key(), StandardCharsets.UTF_8);
        try {
            if (key.startsWith(JobStatusTopic.RUN_PREFIX)) {
                String id = key.substring(JobStatusTopic.RUN_PREFIX.length());
                if (r.value() == null) runs.remove(id);
                else applyRun(JobStatusTopic.fromJson(r.value(), RunStatus.class));
            } else if (key.startsWith(JobStatusTopic.LOAD_PREFIX) && r.value() != null) {
                LoadResult l = JobStatusTopic.fromJson(r.value(), LoadResult.class);
                loads.put(l.runId(), l);
            } else if (key.equals(JobStatusTopic.SCHEDULE_KEY) && r.value() != null) {
                applySlot(JobStatusTopic.fromJson(r.value(), SlotRecord.class).slot());
            }
        } catch (RuntimeException e) {
            LOG.warnf("ignoring unreadable status record %s at offset %d: %s", key, r.offset(), e.getMessage());
        }
    }

    private void applyRun(RunStatus s) {
        runs.merge(s.id(), s, (old, neu) -> neu.revision() >= old.revision() ? neu : old);
    }

    private void applySlot(String slot) {
        if (lastSlot == null || slot.compareTo(lastSlot) > 0) lastSlot = slot;
    }

    /** What the schedule record holds. */
    record SlotRecord(String slot) {
    }

    /** Publishes a run and waits for the broker; the local view has it at once. */
    @Override
    public RunStatus publish(RunStatus s) {
        send(JobStatusTopic.runKey(s.id()), JobStatusTopic.toJson(s));
        applyRun(s);
        signal();
        return s;
    }

    void publishSlot(String slot) {
        send(JobStatusTopic.SCHEDULE_KEY, JobStatusTopic.toJson(new SlotRecord(slot)));
        applySlot(slot);
    }

    private void send(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, JobStatusTopic.PARTITION, JobStatusTopic.key(key), value))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new JobRunException("cannot write to the status topic " + topic + ": " + cause, true, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobRunException("interrupted while writing to the status topic", true, e);
        }
    }

    boolean caughtUp() {
        return caughtUp;
    }

    boolean readerRunning() {
        return running && reader != null && reader.isAlive();
    }

    @Override
    public Optional<RunStatus> run(String id) {
        return Optional.ofNullable(runs.get(id));
    }

    /** Newest first. */
    @Override
    public List<RunStatus> runs() {
        List<RunStatus> all = new ArrayList<>(runs.values());
        all.sort(Comparator.comparingLong(RunStatus::createdAt).thenComparing(RunStatus::id).reversed());
        return all;
    }

    @Override
    public Optional<LoadResult> load(String runId) {
        return Optional.ofNullable(loads.get(runId));
    }

    Optional<String> lastSlot() {
        return Optional.ofNullable(lastSlot);
    }

    private void signal() {
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /** Waits until the view changes or the time passes (a real-time pause: views change through Kafka). */
    @Override
    public void awaitChange(long millis) throws InterruptedException {
        synchronized (changed) {
            changed.wait(Math.max(1, millis));
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) consumer.wakeup();
        if (producer != null) producer.close(Duration.ofSeconds(5));
        signal();
    }
}
