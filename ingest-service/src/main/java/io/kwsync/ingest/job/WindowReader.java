package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobConfig;
import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.kafka.Origins;
import io.kwsync.model.Destination;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a run's window from the source topic, as a member of the connector's consumer group ({@code connect-NAME}):
 * turns the window into offsets per source partition (the broker's offsets-for-times, {@link OffsetPlan}), reads
 * exactly those records, applies the window's time rules (records outside its times skipped or sent to the late
 * partition) and hands each record to the run's {@link RunOutput}. After the sink's commit it moves the group's
 * committed offsets to the window's end, which is where a previous-run job continues and what Kafka monitoring shows
 * as the job's lag.
 */
final class WindowReader {

    private static final Logger LOG = Logger.getLogger(WindowReader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);

    private final JobDefinition def;
    private final KafkaClients clients;
    private final RunLog log;
    private final RunOutput output;
    private final JobMetrics metrics;
    private final Clock clock;

    WindowReader(JobDefinition def, KafkaClients clients, RunLog log, RunOutput output, JobMetrics metrics, Clock clock) {
        this.def = def;
        this.clients = clients;
        this.log = log;
        this.output = output;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** A consumer of the connector's group for reading a run (read_committed: no aborted transactions). */
    KafkaConsumer<byte[], byte[]> consumer(String runId) {
        return clients.consumer(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group(),
                ConsumerConfig.CLIENT_ID_CONFIG, "kwsync-job-" + runId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
    }

    /** A consumer of the connector's group that only commits (a resumed run's end offsets). */
    KafkaConsumer<byte[], byte[]> committer() {
        return clients.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group()));
    }

    private String group() {
        return KafkaClients.sourceGroup(def.name());
    }

    /** The offsets the run reads per source partition: [start, end), end null while unknown. */
    Map<TopicPartition, OffsetPlan.Range> plan(KafkaConsumer<byte[], byte[]> consumer, RunWindow w, String runId) {
        List<PartitionInfo> infos = consumer.partitionsFor(def.topic(), BROKER_TIMEOUT);
        if (infos == null || infos.isEmpty()) throw new JobRunException("source topic " + def.topic() + " does not exist", true);
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo i : infos) {
            if (def.sourcePartition() == null || def.sourcePartition() == i.partition()) tps.add(new TopicPartition(def.topic(), i.partition()));
        }
        if (tps.isEmpty()) {
            throw new JobRunException("source topic " + def.topic() + " has no partition " + def.sourcePartition()
                    + " (KWSYNC_JOB_SOURCE_PARTITION)", false);
        }
        tps.sort(Comparator.comparingInt(TopicPartition::partition));
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(tps);
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(tps));
        Map<TopicPartition, OffsetAndTimestamp> byBegin = w.begin() == null ? Map.of() : times(consumer, tps, w.begin());
        Map<TopicPartition, OffsetAndTimestamp> byEnd = w.end() == null ? Map.of() : times(consumer, tps, w.end());
        Map<Integer, OffsetPlan.Range> previous = previousRanges(w.windowKey(), runId);
        OffsetPlan.Bounds bounds = new OffsetPlan.Bounds(w.begin() != null, w.beginOffset(), w.end() != null, w.endOffset());
        Map<TopicPartition, OffsetPlan.Range> out = new LinkedHashMap<>();
        for (TopicPartition tp : tps) {
            OffsetAndMetadata c = committed.get(tp);
            OffsetAndTimestamp ob = byBegin.get(tp);
            OffsetAndTimestamp oe = byEnd.get(tp);
            out.put(tp, OffsetPlan.plan(bounds, def.start(), def.completion(), new OffsetPlan.Broker(starts.get(tp), ends.get(tp),
                    c == null ? null : c.offset(), ob == null ? null : ob.offset(), oe == null ? null : oe.offset()),
                    previous.get(tp.partition())));
        }
        return out;
    }

    private static Map<TopicPartition, OffsetAndTimestamp> times(KafkaConsumer<byte[], byte[]> c, List<TopicPartition> tps, Instant t) {
        Map<TopicPartition, Long> query = new HashMap<>();
        for (TopicPartition tp : tps) query.put(tp, t.toEpochMilli());
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query, BROKER_TIMEOUT);
        return found == null ? Map.of() : new HashMap<>(found);
    }

    /** In previous-run mode, what the latest successful run of the same window read, per partition. */
    private Map<Integer, OffsetPlan.Range> previousRanges(String windowKey, String runId) {
        if (def.start() != JobConfig.Start.PREVIOUS_RUN) return Map.of();
        Map<Integer, OffsetPlan.Range> out = new HashMap<>();
        log.runs().stream()
                .filter(s -> s.state() == RunStatus.State.SUCCEEDED && windowKey.equals(s.windowKey()) && !s.id().equals(runId)
                        && s.partitions() != null)
                .findFirst() // newest first
                .ifPresent(s -> s.partitions().forEach(p -> out.put(p.partition(), new OffsetPlan.Range(p.start(), p.end()))));
        return out;
    }

    /** Reads every planned range to its end (an idle-completion run: until the end time or the silence), publishing. */
    void read(KafkaConsumer<byte[], byte[]> consumer, RunWindow w, RunAttempt a) {
        List<TopicPartition> active = new ArrayList<>();
        a.ranges.forEach((tp, range) -> {
            if (range.end() == null || range.start() < range.end()) active.add(tp);
            a.position.put(tp, range.start());
        });
        consumer.assign(active);
        for (TopicPartition tp : active) consumer.seek(tp, a.ranges.get(tp).start());
        long lastData = clock.millis();
        while (!active.isEmpty()) {
            a.check();
            ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
            List<TopicPartition> done = new ArrayList<>();
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<byte[], byte[]> rec : records.records(tp)) {
                    OffsetPlan.Range range = a.ranges.get(tp);
                    if (range.end() != null && rec.offset() >= range.end()) break;
                    if (range.end() == null && rec.timestamp() >= w.end().toEpochMilli()) {
                        a.ranges.put(tp, new OffsetPlan.Range(range.start(), rec.offset())); // idle mode: the end time is reached
                        break;
                    }
                    handle(rec, w, a);
                    a.position.put(tp, rec.offset() + 1);
                }
            }
            for (TopicPartition tp : active) {
                OffsetPlan.Range range = a.ranges.get(tp);
                long pos = Math.max(a.position.get(tp), range.end() == null ? 0 : Math.min(range.end(), consumer.position(tp)));
                a.position.put(tp, pos);
                if (range.end() != null && pos >= range.end()) done.add(tp);
            }
            if (!records.isEmpty()) {
                lastData = clock.millis();
            } else if (def.completion() == JobConfig.Completion.IDLE && clock.millis() - lastData >= def.idleTimeout().toMillis()) {
                LOG.infof("no record for %s: ending the run at the current positions", def.idleTimeout());
                for (TopicPartition tp : active) {
                    a.ranges.put(tp, new OffsetPlan.Range(a.ranges.get(tp).start(), a.position.get(tp)));
                    done.add(tp);
                }
            }
            if (!done.isEmpty()) {
                active.removeAll(done);
                consumer.assign(active); // positions of the partitions still assigned are kept
            }
            a.publishProgress(false);
        }
    }

    /** The window's time rules: skipExceedRecord drops records outside its times; older ones are late. */
    private void handle(ConsumerRecord<byte[], byte[]> rec, RunWindow w, RunAttempt a) {
        a.read++;
        metrics.read();
        RunWindow.Place place = w.place(rec.timestamp());
        if (def.skipExceedRecord() && place != RunWindow.Place.IN) {
            a.skipped++;
            return;
        }
        Destination destination = w.main();
        if (place == RunWindow.Place.EARLY) {
            a.late++;
            if (w.late() != null) destination = w.late();
        }
        output.publish(Origins.of(rec), rec.value(), destination, a);
    }

    /** Moves the group's committed offsets to the window's end; never backwards (a rerun of an old window). */
    void commitForward(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetPlan.Range> ranges) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(ranges.keySet());
        Map<TopicPartition, OffsetAndMetadata> forward = new HashMap<>();
        ranges.forEach((tp, range) -> {
            OffsetAndMetadata c = committed.get(tp);
            if (range.end() != null && (c == null || c.offset() < range.end())) forward.put(tp, new OffsetAndMetadata(range.end()));
        });
        if (!forward.isEmpty()) consumer.commitSync(forward, BROKER_TIMEOUT);
    }
}
