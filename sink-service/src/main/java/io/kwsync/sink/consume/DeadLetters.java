package io.kwsync.sink.consume;

import io.kwsync.model.ColumnsJson;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.config.SinkConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes what the sink cannot write to the error topic and waits until the broker has it, so a refused row is
 * never acknowledged before it is safe somewhere.
 */
@ApplicationScoped
public class DeadLetters {

    private static final int CHUNK = 500;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final MutinyEmitter<byte[]> emitter;
    private final String connector;
    private final SinkMetrics metrics;

    public DeadLetters(@Channel("errors") MutinyEmitter<byte[]> emitter, SinkConfig config, SinkMetrics metrics) {
        this.emitter = emitter;
        this.connector = config.connector().name().orElseThrow();
        this.metrics = metrics;
    }

    /** Rows the destination refused: value is the row's columns as JSON, key and headers are the source's. */
    public void publishRows(List<Rejected> rejected) {
        List<Message<byte[]>> messages = new ArrayList<>(rejected.size());
        for (Rejected r : rejected) {
            messages.add(message(r.row().origin(), r.reason(), ColumnsJson.toJson(r.row().columns())));
        }
        publish(messages);
        metrics.rejected(rejected.size());
    }

    /** A record on the rows topic that is not a row event: kept byte for byte. */
    public void publishRaw(Origin origin, byte[] value, DirtyRecordException reason) {
        publish(List.of(message(origin, reason, value)));
        metrics.rejected(1);
    }

    private Message<byte[]> message(Origin origin, DirtyRecordException reason, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        DeadLetter.headers(origin, connector, reason).forEach(h -> headers.add(h.name(), h.value()));
        return Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<byte[]>builder()
                .withKey(origin.key()).withHeaders(headers).build());
    }

    private void publish(List<Message<byte[]>> messages) {
        for (int from = 0; from < messages.size(); from += CHUNK) {
            List<Uni<Void>> sends = new ArrayList<>();
            for (Message<byte[]> m : messages.subList(from, Math.min(messages.size(), from + CHUNK))) {
                sends.add(emitter.sendMessage(m));
            }
            Uni.join().all(sends).andFailFast().await().atMost(TIMEOUT);
        }
    }
}
