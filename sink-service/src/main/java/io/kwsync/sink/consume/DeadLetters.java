package io.kwsync.sink.consume;

import io.kwsync.model.ColumnsJson;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.RowSink;
import io.kwsync.sink.config.SinkConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Publishes what the sink cannot write to the error topic and waits until the broker has it, so a refused row is
 * never acknowledged before it is safe somewhere. Every dead letter fits: it is cut when it is too large for the topic
 * ({@link DeadLetterRecord}).
 *
 * <p>Each refusal is published once, also when its batch is retried or the sink is killed between publishing and
 * committing: a destination that can note durably, apart from its batch transaction, that refusals may be on their way
 * (the JDBC sink's table of marks) asks for a {@link #mark} first and hands the oldest mark it still holds for the rows'
 * source partitions to {@link #reject(List, List)}, which reads the error topic back from there and publishes only
 * the refusals that are not on it yet. See docs/design/delivery.md, "Dead letters".
 */
@ApplicationScoped
public class DeadLetters implements RowSink.RejectHandler {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final int CHUNK = 500;

    private final ErrorTopic errorTopic;
    private final String topic;
    private final String connector;
    private final SinkMetrics metrics;

    @Inject
    public DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, SinkConfig config, SinkMetrics metrics) {
        this(kafkaConfig, config.error().topic(), config.connector().name().orElseThrow(), metrics);
    }

    /** For a sink built by hand (tests): the Kafka client settings, the error topic and the connector name. */
    public DeadLetters(Map<String, Object> kafkaConfig, String topic, String connector, SinkMetrics metrics) {
        this.errorTopic = new ErrorTopic(kafkaConfig, topic, connector);
        this.topic = topic;
        this.connector = connector;
        this.metrics = metrics;
    }

    /** Rows the destination refused, as {@link #reject(List)}: value is the row's columns as JSON, key and headers the source's. */
    public void publishRows(List<Rejected> rejected) {
        reject(rejected, List.of());
    }

    @Override
    public void reject(List<Rejected> rejected) {
        reject(rejected, List.of());
    }

    @Override
    public synchronized String mark() {
        return errorTopic.mark();
    }

    @Override
    public synchronized void reject(List<Rejected> rejected, List<String> since) {
        Set<String> done = Set.of();
        if (!since.isEmpty()) {
            Set<String> wanted = new HashSet<>();
            for (Rejected r : rejected) wanted.add(key(r.row()));
            done = errorTopic.publishedSince(since, wanted);
            if (!done.isEmpty()) {
                LOG.infof("%d of %d refused rows are on the error topic already (an earlier attempt published them);"
                        + " not publishing them again", done.size(), rejected.size());
            }
        }
        List<DeadLetterRecord> letters = new ArrayList<>(rejected.size());
        for (Rejected r : rejected) {
            if (done.contains(key(r.row()))) continue;
            letters.add(new DeadLetterRecord(topic, r.row().origin(), DeadLetter.row(r.row().rowIndex(), r.row().rowCount()),
                    connector, r.reason(), ColumnsJson.toJson(r.row().columns())));
        }
        for (int from = 0; from < letters.size(); from += CHUNK) {
            errorTopic.publish(letters.subList(from, Math.min(letters.size(), from + CHUNK)));
        }
        metrics.rejected(letters.size());
    }

    /** A record on the rows topic that is not a row event: kept byte for byte. */
    public synchronized void publishRaw(Origin origin, byte[] value, DirtyRecordException reason) {
        errorTopic.publish(List.of(new DeadLetterRecord(topic, origin, connector, reason, value)));
        metrics.rejected(1);
    }

    /** A refused row by its source coordinates and, for a record of several rows, which of them it is. */
    private static String key(RowEvent row) {
        Origin o = row.origin();
        return ErrorTopic.coordinates(o.topic(), o.partition(), o.offset(), DeadLetter.row(row.rowIndex(), row.rowCount()));
    }

    @PreDestroy
    void close() {
        errorTopic.close();
    }
}
