package io.kwsync.ingest.job;

import io.kwsync.ingest.pipeline.RecordMapper;
import io.kwsync.ingest.pipeline.RowsRouting;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.Destination;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.JobMarkerCodec;
import io.kwsync.model.job.LoadResult;
import io.kwsync.ingest.schedule.ExpressionException;
import io.kwsync.ingest.schedule.WindowTime;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Runs one job run on the leader: resolves its window from the run's parameters, turns it into offsets per source
 * partition (the broker's offsets-for-times), reads exactly those records, maps them to rows for the rows topic,
 * sends an END marker to every rows partition, and waits for the sink's verdict. On success the window's end offsets
 * are committed to the connector's consumer group ({@code connect-NAME}), which is where a previous-run job continues
 * and what Kafka monitoring shows as the job's lag.
 */
final class RunExecutor implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RunExecutor.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long PROGRESS_EVERY_MS = 2_000;

    private final JobDefinition def;
    private final KafkaClients clients;
    private final RecordMapper mapper;
    private final RowsRouting routing;
    private final int rowsPartitions;
    private final String rowsTopic;
    private final String errorTopic;
    private final String compression;
    private final StatusLog log;
    private final Clock clock;
    private final String owner;
    private final JobMetrics metrics;
    private KafkaProducer<byte[], byte[]> producer;

    RunExecutor(JobDefinition def, KafkaClients clients, RecordMapper mapper, RowsRouting routing, int rowsPartitions,
                String rowsTopic, String errorTopic, String compression, StatusLog log, Clock clock, String owner,
                JobMetrics metrics) {
        this.def = def;
        this.clients = clients;
        this.mapper = mapper;
        this.routing = routing;
        this.rowsPartitions = rowsPartitions;
        this.rowsTopic = rowsTopic;
        this.errorTopic = errorTopic;
        this.compression = compression;
        this.log = log;
        this.clock = clock;
        this.owner = owner;
        this.metrics = metrics;
    }

    /** Leadership moved while running: the new leader takes over the run's bookkeeping, this replica only stops. */
    static final class Superseded extends RuntimeException {
        Superseded() {
            super("this replica is no longer the leader");
        }
    }

    /** The window and destinations of a run, from its parameter values. */
    record Resolved(String beginText, String endText, Instant begin, Instant end, JobDefinition.OffsetSpec beginOffset,
                    JobDefinition.OffsetSpec endOffset, Destination main, Destination late, List<Destination> replaces,
                    String windowKey) {
        RunStatus.Window window(String zone) {
            return new RunStatus.Window(beginText, endText, begin == null ? null : begin.toString(),
                    end == null ? null : end.toString(), zone);
        }
    }

    /** @throws ExpressionException when the parameters do not make a valid window (the run cannot succeed) */
    static Resolved resolve(JobDefinition def, Map<String, String> values) {
        String beginText = (def.begin().byTime() ? def.begin().dateTime() : def.begin().offset()).render(values).strip();
        String endText = (def.end().byTime() ? def.end().dateTime() : def.end().offset()).render(values).strip();
        Instant begin = def.begin().byTime() ? WindowTime.parse(beginText, def.zone()) : null;
        Instant end = def.end().byTime() ? WindowTime.parse(endText, def.zone()) : null;
        if (begin != null && end != null && end.isBefore(begin)) {
            throw new ExpressionException("the window ends (" + endText + ") before it begins (" + beginText + ")");
        }
        JobDefinition.OffsetSpec beginOffset = def.begin().byTime() ? null : JobDefinition.parseOffset(beginText, true);
        JobDefinition.OffsetSpec endOffset = def.end().byTime() ? null : JobDefinition.parseOffset(endText, false);
        Destination main = new Destination(def.table(), def.destinationPartition() == null ? Map.of()
                : JobDefinition.partitionSpec(def.destinationPartition().render(values)));
        Destination late = def.latePartition() == null ? null
                : new Destination(def.table(), JobDefinition.partitionSpec(def.latePartition().render(values)));
        if (late != null && late.equals(main)) late = null;
        List<Destination> replaces = late == null ? List.of(main) : List.of(main, late);
        String key = main.partition().isEmpty() ? def.table() + " [" + beginText + ", " + endText + ")"
                : String.join(" + ", replaces.stream().map(Destination::partitionSpec).toList());
        return new Resolved(beginText, endText, begin, end, beginOffset, endOffset, main, late, replaces, key);
    }

    /** Executes a queued run to its end; returns the final status (already published), or throws {@link Superseded}. */
    RunStatus execute(RunStatus queued, BooleanSupplier current) {
        RunStatus.Builder b = queued.toBuilder();
        b.state = RunStatus.State.RUNNING;
        b.owner = owner;
        b.startedAt = clock.millis();
        RunStatus started = log.publish(b.build());
        b = started.toBuilder();
        long deadline = started.startedAt() + def.timeout().toMillis();
        Attempt a = new Attempt(b, current, deadline);
        try {
            Resolved r;
            try {
                r = resolve(def, queued.parameters());
            } catch (ExpressionException e) {
                throw new JobRunException("invalid run parameters: " + e.getMessage(), false, e);
            }
            b.window = r.window(def.zone().getId());
            b.windowKey = r.windowKey();
            b.replaces = r.replaces().stream().map(d -> d.partition().isEmpty() ? "(whole table)" : d.partitionSpec()).toList();
            if (r.end() != null && def.completion() == JobConfig.Completion.END_OFFSET && clock.instant().isBefore(r.end())) {
                b.state = RunStatus.State.WAITING;
                a.publish();
                while (clock.instant().isBefore(r.end())) a.pause(Math.min(500, r.end().toEpochMilli() - clock.millis()));
                b.state = RunStatus.State.RUNNING;
            }
            try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG, "connect-" + def.name(),
                    ConsumerConfig.CLIENT_ID_CONFIG, "kwsync-job-" + queued.id(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000))) {
                Map<TopicPartition, OffsetPlan.Range> ranges = plan(consumer, r, queued);
                a.ranges = ranges;
                a.publishProgress(true);
                read(consumer, r, a);
                finishRead(a, r, queued.id());
                LoadResult load = awaitLoad(queued.id(), a);
                return conclude(consumer, a, load);
            }
        } catch (Superseded e) {
            abortQuietly(queued.id(), a.sentAnything);
            throw e;
        } catch (JobRunException e) {
            return fail(a, e);
        } catch (KafkaException | IllegalStateException e) {
            return fail(a, new JobRunException("Kafka: " + e.getMessage(), true, e));
        }
    }

    /** Picks up a run a previous leader left waiting for the sink: waits for the verdict and concludes it. */
    RunStatus resume(RunStatus loading, BooleanSupplier current) {
        RunStatus.Builder b = loading.toBuilder();
        b.owner = owner;
        Attempt a = new Attempt(b, current, (loading.startedAt() == null ? clock.millis() : loading.startedAt()) + def.timeout().toMillis());
        a.sentAnything = true;
        a.ranges = new LinkedHashMap<>();
        if (loading.partitions() != null) {
            for (RunStatus.PartitionProgress p : loading.partitions()) {
                a.ranges.put(new TopicPartition(def.topic(), p.partition()), new OffsetPlan.Range(p.start(), p.end()));
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, "connect-" + def.name()))) {
            return conclude(consumer, a, awaitLoad(loading.id(), a));
        } catch (JobRunException e) {
            return fail(a, e);
        } catch (KafkaException e) {
            return fail(a, new JobRunException("Kafka: " + e.getMessage(), true, e));
        }
    }

    /** The mutable state of one attempt. */
    private final class Attempt {
        final RunStatus.Builder b;
        final BooleanSupplier current;
        final long deadline;
        Map<TopicPartition, OffsetPlan.Range> ranges = new LinkedHashMap<>();
        final Map<TopicPartition, Long> position = new HashMap<>();
        final long[] rowsPerPartition = new long[rowsPartitions];
        long read, rows, dirty, skipped, late;
        boolean sentAnything;
        long lastProgress;
        final AtomicReference<Exception> sendError = new AtomicReference<>();

        Attempt(RunStatus.Builder b, BooleanSupplier current, long deadline) {
            this.b = b;
            this.current = current;
            this.deadline = deadline;
        }

        void check() {
            if (!current.getAsBoolean()) throw new Superseded();
            if (clock.millis() > deadline) {
                throw new JobRunException("the run took longer than KWSYNC_JOB_TIMEOUT (" + def.timeout() + ")", true);
            }
            Exception e = sendError.get();
            if (e != null) throw new JobRunException("publishing to Kafka failed: " + e.getMessage(), true, e);
        }

        void pause(long millis) {
            check();
            try {
                log.awaitChange(Math.max(1, millis));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Superseded();
            }
        }

        void publish() {
            b.counts = new RunStatus.Counts(read, rows, dirty, skipped, late);
            List<RunStatus.PartitionProgress> parts = new ArrayList<>();
            ranges.forEach((tp, range) -> parts.add(new RunStatus.PartitionProgress(tp.partition(), range.start(), range.end(),
                    position.getOrDefault(tp, range.start()))));
            b.partitions = parts;
            RunStatus s = log.publish(b.build());
            b.revision = s.revision();
            lastProgress = clock.millis();
        }

        void publishProgress(boolean force) {
            if (force || clock.millis() - lastProgress >= PROGRESS_EVERY_MS) publish();
        }
    }

    private Map<TopicPartition, OffsetPlan.Range> plan(KafkaConsumer<byte[], byte[]> consumer, Resolved r, RunStatus run) {
        List<PartitionInfo> infos = consumer.partitionsFor(def.topic(), Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) throw new JobRunException("source topic " + def.topic() + " does not exist", true);
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo i : infos) {
            if (def.sourcePartition() == null || def.sourcePartition() == i.partition()) tps.add(new TopicPartition(def.topic(), i.partition()));
        }
        if (tps.isEmpty()) {
            throw new JobRunException("source topic " + def.topic() + " has no partition " + def.sourcePartition()
                    + " (KWSYNC_JOB_SOURCE_PARTITION)", false);
        }
        tps.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(tps);
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(tps));
        Map<TopicPartition, OffsetAndTimestamp> byBegin = r.begin() == null ? Map.of() : times(consumer, tps, r.begin());
        Map<TopicPartition, OffsetAndTimestamp> byEnd = r.end() == null ? Map.of() : times(consumer, tps, r.end());
        Map<Integer, OffsetPlan.Range> previous = previousRanges(r.windowKey(), run.id());
        OffsetPlan.Bounds bounds = new OffsetPlan.Bounds(r.begin() != null, r.beginOffset(), r.end() != null, r.endOffset());
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
        Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query, Duration.ofSeconds(30));
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

    private void read(KafkaConsumer<byte[], byte[]> consumer, Resolved r, Attempt a) {
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
                    if (range.end() == null && rec.timestamp() >= r.end().toEpochMilli()) {
                        a.ranges.put(tp, new OffsetPlan.Range(range.start(), rec.offset())); // idle mode: the end time is reached
                        break;
                    }
                    handle(rec, r, a);
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

    private void handle(ConsumerRecord<byte[], byte[]> rec, Resolved r, Attempt a) {
        a.read++;
        metrics.read();
        Destination dest = r.main();
        if (r.begin() != null) {
            boolean early = rec.timestamp() < r.begin().toEpochMilli();
            boolean exceeds = early || r.end() != null && rec.timestamp() >= r.end().toEpochMilli();
            if (def.skipExceedRecord() && exceeds) {
                a.skipped++;
                return;
            }
            if (early) {
                a.late++;
                if (r.late() != null) dest = r.late();
            }
        }
        Origin origin = origin(rec);
        try {
            RowEvent mapped = mapper.map(origin, rec.value());
            RowEvent row = new RowEvent(origin, dest, mapped.columns(), a.b.id);
            int p = routing.partition(origin);
            send(new ProducerRecord<>(rowsTopic, p, routing.key(origin), RowEventCodec.encode(row)), a);
            a.rowsPerPartition[p]++;
            a.rows++;
            metrics.published();
        } catch (DirtyRecordException e) {
            a.dirty++;
            metrics.dirty();
            RecordHeaders headers = new RecordHeaders();
            DeadLetter.headers(origin, def.name(), e).forEach(h -> headers.add(h.name(), h.value()));
            send(new ProducerRecord<>(errorTopic, null, origin.key(), rec.value(), headers), a);
        }
    }

    private static Origin origin(ConsumerRecord<byte[], byte[]> rec) {
        List<Header> headers = new ArrayList<>();
        rec.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
        return new Origin(rec.topic(), rec.partition(), rec.offset(), rec.timestamp(), rec.key(), headers);
    }

    private void send(ProducerRecord<byte[], byte[]> record, Attempt a) {
        a.sentAnything = true;
        producer().send(record, (md, e) -> {
            if (e != null) a.sendError.compareAndSet(null, e);
        });
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = clients.producer(Map.of(
                    org.apache.kafka.clients.producer.ProducerConfig.CLIENT_ID_CONFIG, "kwsync-job-rows-" + def.name(),
                    org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 5,
                    org.apache.kafka.clients.producer.ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                    org.apache.kafka.clients.producer.ProducerConfig.COMPRESSION_TYPE_CONFIG, compression));
        }
        return producer;
    }

    /** All rows are acknowledged; then every rows partition gets the END marker with its count. */
    private void finishRead(Attempt a, Resolved r, String runId) {
        producer().flush();
        a.check();
        for (int p = 0; p < rowsPartitions; p++) {
            JobMarker m = new JobMarker(JobMarker.Kind.END, runId, r.replaces(), rowsPartitions, p, a.rowsPerPartition[p]);
            send(new ProducerRecord<>(rowsTopic, p, runId.getBytes(StandardCharsets.UTF_8), JobMarkerCodec.encode(m)), a);
        }
        producer().flush();
        a.check();
        a.b.state = RunStatus.State.LOADING;
        a.b.rowsPartitions = rowsPartitions;
        a.publish();
        LOG.infof("job run %s read %d records (%d rows, %d dirty, %d late); waiting for the sink", runId, a.read, a.rows, a.dirty, a.late);
    }

    private LoadResult awaitLoad(String runId, Attempt a) {
        while (true) {
            LoadResult l = log.load(runId).orElse(null);
            if (l != null) return l;
            a.pause(500);
        }
    }

    private RunStatus conclude(KafkaConsumer<byte[], byte[]> consumer, Attempt a, LoadResult load) {
        if (load.state() != LoadResult.State.COMMITTED) {
            throw new JobRunException("the sink did not load the run (" + load.state().name().toLowerCase()
                    + (load.reason() == null ? "" : ": " + load.reason()) + ")", true);
        }
        commitForward(consumer, a.ranges);
        RunStatus.Builder b = a.b;
        b.state = RunStatus.State.SUCCEEDED;
        b.finishedAt = clock.millis();
        b.written = load.written();
        b.rejected = load.rejected();
        b.error = null;
        a.publish();
        metrics.finished(RunStatus.State.SUCCEEDED);
        LOG.infof("job run %s succeeded: %s", b.id, load.written());
        return log.run(b.id).orElseThrow();
    }

    /** Moves the group's committed offsets to the window's end; never backwards (a rerun of an old window). */
    private void commitForward(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, OffsetPlan.Range> ranges) {
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(ranges.keySet());
        Map<TopicPartition, OffsetAndMetadata> forward = new HashMap<>();
        ranges.forEach((tp, range) -> {
            OffsetAndMetadata c = committed.get(tp);
            if (range.end() != null && (c == null || c.offset() < range.end())) forward.put(tp, new OffsetAndMetadata(range.end()));
        });
        if (!forward.isEmpty()) consumer.commitSync(forward, Duration.ofSeconds(30));
    }

    private RunStatus fail(Attempt a, JobRunException e) {
        abortQuietly(a.b.id, a.sentAnything);
        RunStatus.Builder b = a.b;
        b.state = RunStatus.State.FAILED;
        b.finishedAt = clock.millis();
        b.error = e.getMessage();
        b.retriable = e.retriable();
        boolean rerun = e.retriable() && b.attempt <= def.rerunTimes();
        b.retryAt = rerun ? b.finishedAt + def.rerunInterval().toMillis() : null;
        LOG.warnf("job run %s failed (attempt %d%s): %s", b.id, b.attempt, rerun ? ", will rerun" : "", e.getMessage());
        metrics.finished(RunStatus.State.FAILED);
        try {
            a.publish();
        } catch (JobRunException publishFailed) {
            LOG.errorf("cannot record the failure of run %s: %s", b.id, publishFailed.getMessage());
        }
        return log.run(b.id).orElseGet(b::build);
    }

    /** Tells the sink to drop what it staged for the run (best effort; the sink also ignores an unfinished run). */
    void abortQuietly(String runId, boolean needed) {
        if (!needed) return;
        try {
            for (int p = 0; p < rowsPartitions; p++) {
                JobMarker m = new JobMarker(JobMarker.Kind.ABORT, runId, List.of(), rowsPartitions, p, 0);
                producer().send(new ProducerRecord<>(rowsTopic, p, runId.getBytes(StandardCharsets.UTF_8), JobMarkerCodec.encode(m)));
            }
            producer().flush();
        } catch (KafkaException e) {
            LOG.warnf("could not send the abort markers of run %s: %s", runId, e.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }
}
