package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.ingest.job.KafkaClients;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.Map;

/**
 * The producer of the streaming path: rows to the rows topic, dirty records to the error topic. Idempotent with
 * acks=all (a send completes once the record is durable), with the connector's Kafka client and security settings.
 * Created for the first batch only, so job mode, which never consumes the source channel, never opens it.
 */
@ApplicationScoped
public class RowsProducer {

    /** Large records (up to 64 MiB after mapping) must fit; the rows and error topics allow the same size. */
    static final int MAX_REQUEST_BYTES = 64 * 1024 * 1024;

    /** The client id the rows channel's producer had, so its kafka_producer_* series keep their labels. */
    static final String CLIENT_ID = "kafka-producer-rows";

    private final Map<String, Object> kafkaConfig;
    private final String compression;
    private final Event<Producer<?, ?>> created;
    private volatile KafkaProducer<byte[], byte[]> producer;

    public RowsProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, IngestConfig config,
                        Event<Producer<?, ?>> created) {
        this.kafkaConfig = kafkaConfig;
        this.created = created;
        this.compression = config.rows().compression();
    }

    /** Sends asynchronously; {@code done} runs on the producer's I/O thread once the broker acknowledged or failed. */
    void send(ProducerRecord<byte[], byte[]> record, Callback done) {
        KafkaProducer<byte[], byte[]> p = producer;
        (p != null ? p : producer()).send(record, done);
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> p = new KafkaClients(kafkaConfig).producer(Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES,
                    ProducerConfig.BUFFER_MEMORY_CONFIG, (long) MAX_REQUEST_BYTES));
            created.fire(p); // the Micrometer Kafka binder exports its kafka_producer_* metrics, as for a channel's
            producer = p;
        }
        return producer;
    }

    /** Waits (bounded) for sends still in flight, so their source records can still be acknowledged. */
    @PreDestroy
    synchronized void close() {
        if (producer != null) producer.close(Duration.ofSeconds(10));
    }
}
