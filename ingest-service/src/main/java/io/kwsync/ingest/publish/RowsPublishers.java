package io.kwsync.ingest.publish;

import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.convert.RecordMapper;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.runtime.kafka.TopicProvisioner;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.Producer;

import java.util.function.Consumer;

/**
 * Makes the {@link RowsPublisher}s of the service: the streaming path's and the job runs', each with a producer of its
 * own (its own client id) and the same mapper, routing, topics and producer limits.
 */
@ApplicationScoped
public class RowsPublishers {

    private final RecordMapper mapper;
    private final TopicProvisioner topics;
    private final KafkaClients clients;
    private final IngestSettings settings;

    public RowsPublishers(RecordMapper mapper, TopicProvisioner topics, KafkaClients clients, IngestSettings settings) {
        this.mapper = mapper;
        this.topics = topics;
        this.clients = clients;
        this.settings = settings;
    }

    /**
     * A publisher whose producer opens on its first send.
     *
     * @param opened told about the producer once it exists (to export its metrics)
     */
    public RowsPublisher create(String clientId, Consumer<Producer<?, ?>> opened) {
        RowsRouting routing = new RowsRouting(topics.rowsPartitions()); // the rows topic exists from here on
        RecordLimits limits = RecordLimits.of(topics.messageLimits(), settings.rows().compression());
        return new RowsPublisher(mapper, routing, new RowsProducer(clients, clientId, settings.rows().compression(), opened),
                settings.rows().topic(), settings.errors().topic(), settings.connector(), limits);
    }
}
