package io.kwsync.ingest.writer;

import io.kwsync.ingest.config.WriterDefinition;
import io.kwsync.ingest.kafka.KafkaClients;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The producer of one Kafka Writer run. With acks=all it is transactional under the job's one transactional id,
 * {@code kwsync-writer-NAME}: opening it ({@link #open}) fences every earlier producer of the job (a run a replica
 * that lost leadership is still running) and aborts the transaction such a producer left open, so afterwards the
 * {@link Ledger} tells exactly which run committed last. A run's records, its dead letters and its ledger entry
 * commit together or not at all. With acks 0 or 1 it is a plain producer and there is no ledger.
 */
final class TopicOutput implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TopicOutput.class);
    static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaClients clients;
    private final WriterDefinition def;
    private final TopicPartition ledgerPartition;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean inTransaction;

    TopicOutput(KafkaClients clients, WriterDefinition def) {
        this.clients = clients;
        this.def = def;
        this.ledgerPartition = new TopicPartition(def.control().statusTopic(), 0);
    }

    static String transactionalId(String job) {
        return "kwsync-writer-" + job;
    }

    /** A new producer; a transactional one fences the job's earlier producers and ends their open transaction. */
    void open() {
        close();
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "kwsync-writer-" + def.control().name());
        p.put(ProducerConfig.ACKS_CONFIG, def.acks());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) BROKER_TIMEOUT.toMillis());
        if (def.transactional()) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(def.control().name()));
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.min(Integer.MAX_VALUE, def.transactionTimeout().toMillis()));
        } else {
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // idempotence needs acks=all
        }
        producer = clients.producer(p);
        if (def.transactional()) producer.initTransactions();
    }

    /**
     * The last run committed, read after {@link #open} (so no transaction of the job is pending), or null.
     *
     * @throws KafkaException when the broker does not answer in time
     */
    Ledger lastCommitted() {
        if (!def.transactional()) return null;
        try (AdminClient admin = clients.admin("kwsync-writer-ledger-" + def.control().name())) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(Ledger.group(def.control().name()),
                            new ListConsumerGroupOffsetsOptions().requireStable(true)).partitionsToOffsetAndMetadata()
                    .get(BROKER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Ledger.fromOffset(offsets.get(ledgerPartition));
        } catch (ExecutionException e) {
            throw new KafkaException("cannot read the writer's ledger (group " + Ledger.group(def.control().name()) + "): "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaException("the broker did not give the writer's ledger within " + BROKER_TIMEOUT.toSeconds() + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while reading the writer's ledger", e);
        }
    }

    /** The topic's partitions (which also proves it exists). */
    List<PartitionInfo> partitions(String topic) {
        return producer.partitionsFor(topic);
    }

    void begin() {
        if (!def.transactional()) return;
        producer.beginTransaction();
        inTransaction = true;
    }

    void send(ProducerRecord<byte[], byte[]> record, Callback done) {
        producer.send(record, done);
    }

    /** Waits until every record sent so far is acknowledged (or failed: the callbacks say which). */
    void flush() {
        producer.flush();
    }

    /** Commits the run: its records and dead letters, and {@code entry} as the ledger's new last run (null: none). */
    void commit(Ledger entry) {
        if (!def.transactional()) {
            producer.flush();
            return;
        }
        if (entry != null) {
            producer.sendOffsetsToTransaction(Map.of(ledgerPartition, entry.toOffset()),
                    new ConsumerGroupMetadata(Ledger.group(def.control().name())));
        }
        producer.commitTransaction();
        inTransaction = false;
    }

    /** Ends an open transaction without committing it; nothing of it becomes visible to read_committed readers. */
    void abortQuietly() {
        if (producer == null || !inTransaction) return;
        inTransaction = false;
        try {
            producer.abortTransaction();
        } catch (KafkaException e) {
            // a fenced or broken producer cannot abort; the broker aborts the transaction on the next open or its timeout
            LOG.debugf("abort failed: %s", e.getMessage());
        }
    }

    @Override
    public void close() {
        if (producer == null) return;
        abortQuietly();
        try {
            producer.close(Duration.ofSeconds(5));
        } catch (KafkaException e) {
            LOG.debugf("producer close: %s", e.getMessage());
        }
        producer = null;
    }
}
