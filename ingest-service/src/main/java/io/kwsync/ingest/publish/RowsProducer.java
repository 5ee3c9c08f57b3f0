package io.kwsync.ingest.publish;

import io.kwsync.ingest.kafka.KafkaClients;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The producer behind a {@link RowsPublisher}: rows, job markers and dead letters, for the streaming path and job runs
 * alike, so both send with the same limits. Idempotent with acks=all (a send completes once the record is durable),
 * with the connector's Kafka client and security settings. Opened on the first send only, so a path that never
 * publishes (the streaming channel in job mode) never connects.
 */
public final class RowsProducer implements AutoCloseable {

    /** Large records (up to 64 MiB after mapping) must fit; the rows and error topics allow the same size. */
    static final int MAX_REQUEST_BYTES = 64 * 1024 * 1024;

    private final KafkaClients clients;
    private final String clientId;
    private final String compression;
    private final Consumer<Producer<?, ?>> opened;
    private volatile KafkaProducer<byte[], byte[]> producer;

    /**
     * @param clientId    names the producer in the broker's and the client's metrics
     * @param compression KWSYNC_ROWS_COMPRESSION
     * @param opened      told about the producer once it exists (to export its metrics)
     */
    public RowsProducer(KafkaClients clients, String clientId, String compression, Consumer<Producer<?, ?>> opened) {
        this.clients = clients;
        this.clientId = clientId;
        this.compression = compression;
        this.opened = opened;
    }

    /** Sends asynchronously; {@code done} (may be null) runs on the producer's I/O thread once acknowledged or failed. */
    void send(ProducerRecord<byte[], byte[]> record, Callback done) {
        KafkaProducer<byte[], byte[]> p = producer;
        (p != null ? p : producer()).send(record, done);
    }

    /** Waits until every send issued so far completed. */
    void flush() {
        KafkaProducer<byte[], byte[]> p = producer;
        if (p != null) p.flush();
    }

    private synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            KafkaProducer<byte[], byte[]> p = clients.producer(Map.of(
                    ProducerConfig.CLIENT_ID_CONFIG, clientId,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    // 256 KiB: with 64 KiB (tried to save ingest-service about 13 MiB of pooled batch buffers) a
                    // poll's rows left in four times as many record batches, and the sink's collector took 1.7-2.4
                    // instead of 0.2-0.4 ms per 1,000 rows (docs/benchmarks.md, "Latest results").
                    ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_BYTES,
                    ProducerConfig.BUFFER_MEMORY_CONFIG, (long) MAX_REQUEST_BYTES));
            opened.accept(p);
            producer = p;
        }
        return producer;
    }

    /** Waits (bounded) for sends still in flight. */
    public synchronized void close(Duration timeout) {
        if (producer != null) producer.close(timeout);
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
