package io.kwsync.ingest.api;

import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.model.LoneSurrogates;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends test messages to the connector's source topics with a producer of its own, created on first use from the
 * service's Kafka client settings (so with its TLS and SASL settings) and waiting for acks=all.
 */
@ApplicationScoped
public class TestMessages {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClients clients;
    private final List<String> sourceTopics;
    private final IngestSettings settings;
    private KafkaProducer<byte[], byte[]> producer;

    public TestMessages(KafkaClients clients, IngestSettings settings) {
        this.clients = clients;
        this.sourceTopics = settings.sourceTopics();
        this.settings = settings;
    }

    public TestMessageResult send(TestMessageRequest request) {
        if (request == null) throw new InvalidRequestException("a JSON body with at least \"value\" is required");
        String topic = topic(request.topic());
        if (request.value() == null || request.value().isNull()) throw new InvalidRequestException("\"value\" is required");
        byte[] value = utf8(request.value().isTextual() ? request.value().asText() : request.value().toString(), "\"value\"");
        if (request.partition() != null && request.partition() < 0) throw new InvalidRequestException("\"partition\" must be 0 or more");
        byte[] key = request.key() == null ? null : utf8(request.key(), "\"key\"");
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, request.partition(), key, value);
        if (request.headers() != null) {
            request.headers().forEach((name, v) -> {
                utf8(name, "a header name");
                record.headers().add(name, v == null ? null : utf8(v, "header \"" + name + "\""));
            });
        }
        try {
            KafkaProducer<byte[], byte[]> p = producer();
            if (request.partition() != null) {
                int partitions = p.partitionsFor(topic).size();
                if (request.partition() >= partitions) {
                    throw new InvalidRequestException("\"partition\" must be between 0 and " + (partitions - 1) + " for topic " + topic);
                }
            }
            RecordMetadata m = p.send(record).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return new TestMessageResult(m.topic(), m.partition(), m.offset(), m.timestamp());
        } catch (ExecutionException e) {
            throw refused(e.getCause());
        } catch (KafkaException e) {
            throw refused(e);
        } catch (TimeoutException e) {
            throw new SendFailedException("Kafka did not acknowledge the message within " + TIMEOUT.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendFailedException("interrupted while sending", e);
        }
    }

    /** Text as UTF-8; text UTF-8 cannot carry (a lone surrogate) is refused rather than sent altered. */
    private static byte[] utf8(String text, String what) {
        String problem = LoneSurrogates.problem(text);
        if (problem != null) throw new InvalidRequestException(what + " holds " + problem);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static RuntimeException refused(Throwable e) {
        if (e instanceof RecordTooLargeException) {
            return new TooLargeException("the message is too large for Kafka: " + e.getMessage(), e);
        }
        return new SendFailedException("Kafka did not accept the message: " + e.getMessage(), e);
    }

    private String topic(String requested) {
        if (requested == null || requested.isBlank()) {
            if (sourceTopics.size() == 1) return sourceTopics.get(0);
            throw new InvalidRequestException("\"topic\" is required: the connector reads " + settings.describeSource());
        }
        if (!settings.readsTopic(requested)) {
            throw new InvalidRequestException("\"topic\" must be a source topic of this connector: " + settings.describeSource());
        }
        return requested;
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = clients.producer(Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, "kwsync-test-messages",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000,
                    ProducerConfig.LINGER_MS_CONFIG, 0));
        }
        return producer;
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) producer.close(Duration.ofSeconds(5));
    }

    /** The request cannot be served as given: 400. */
    public static class InvalidRequestException extends RuntimeException {
        InvalidRequestException(String message) {
            super(message);
        }
    }

    /** The message is larger than the producer or the topic accepts: 413. */
    public static class TooLargeException extends RuntimeException {
        TooLargeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Kafka did not take the message: 503. */
    public static class SendFailedException extends RuntimeException {
        SendFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
