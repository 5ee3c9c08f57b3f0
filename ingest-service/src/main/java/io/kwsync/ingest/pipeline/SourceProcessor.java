package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.eclipse.microprofile.reactive.messaging.Outgoing;
import org.jboss.logging.Logger;

/**
 * The streaming path: each source record becomes one message on the rows channel, either a RowEvent for the rows
 * topic or, when dirty, the original record for the error topic. The source record is acknowledged (and so its
 * offset becomes committable) only when the broker has acknowledged that message. When the failure policy stops the
 * connector, the stopping record and all that follow are held: returned as nothing and never acknowledged.
 */
@ApplicationScoped
public class SourceProcessor {

    private static final Logger LOG = Logger.getLogger(SourceProcessor.class);

    private final RecordMapper mapper;
    private final RowsRouting routing;
    private final IngestMetrics metrics;
    private final DirtyRecordPolicy policy;
    private final ConnectorStop stop;
    private final String connector;
    private final String errorTopic;

    public SourceProcessor(RecordMapper mapper, RowsRouting routing, IngestMetrics metrics, DirtyRecordPolicy policy,
                           ConnectorStop stop, IngestConfig config) {
        this.mapper = mapper;
        this.routing = routing;
        this.metrics = metrics;
        this.policy = policy;
        this.stop = stop;
        this.connector = config.connector().name().orElseThrow();
        this.errorTopic = config.error().topic();
    }

    /**
     * Runs on the source's own thread: Quarkus would otherwise hand each record of this synchronous signature to a
     * worker thread and back, one at a time in order, which capped the stream at a few thousand records per second.
     * Nothing here blocks: mapping is pure CPU work, and publishing and pausing are asynchronous.
     */
    @Incoming("source")
    @Outgoing("rows")
    @NonBlocking
    public Message<byte[]> process(Message<byte[]> in) {
        IncomingKafkaRecordMetadata<?, ?> meta = in.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalStateException("source message without Kafka metadata"));
        metrics.consumed();
        if (stop.isStopped()) {
            return hold();
        }
        Origin origin = Origins.of(meta);
        try {
            RowEvent row = mapper.map(origin, in.getPayload());
            var out = OutgoingKafkaRecordMetadata.<byte[]>builder()
                    .withKey(routing.key(origin)).withPartition(routing.partition(origin)).build();
            return Message.of(RowEventCodec.encode(row), Metadata.of(out), () -> {
                metrics.published();
                return in.ack();
            }, in::nack);
        } catch (DirtyRecordException e) {
            metrics.dirty(e.stage());
            if (policy.stops(origin.coordinates())) {
                stop.stop(origin, e, policy.why());
                return hold();
            }
            LOG.debugf("dirty record %s: %s", origin.coordinates(), e.getMessage());
            var out = OutgoingKafkaRecordMetadata.<byte[]>builder()
                    .withTopic(errorTopic).withKey(origin.key())
                    .withHeaders(Origins.toKafka(DeadLetter.headers(origin, connector, e))).build();
            return Message.of(in.getPayload(), Metadata.of(out), () -> {
                metrics.deadLettered();
                return in.ack();
            }, in::nack);
        }
    }

    /** Neither published nor acknowledged: its offset is never committed, so a restart reads it again. */
    private Message<byte[]> hold() {
        metrics.held();
        stop.pause();
        return null;
    }
}
