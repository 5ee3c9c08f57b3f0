package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.publish.RowsPublisher;
import io.kwsync.ingest.publish.RowsPublishers;
import io.kwsync.runtime.kafka.TopicProvisioner;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.producer.Producer;

import java.time.Duration;
import java.util.Set;

/** Builds the streaming path's parts from the settings read at start. */
@ApplicationScoped
public class PipelineProducers {

    /** The client id the rows channel's producer had, so its kafka_producer_* series keep their labels. */
    static final String CLIENT_ID = "kafka-producer-rows";

    /** Reads the dirty-record count from the error topic before the source consumers start (at LIBRARY_BEFORE). */
    void loadDirtyRecordCount(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 20) StartupEvent event,
                              DirtyRecordPolicy policy) {
        policy.counted();
    }

    @Produces
    @Singleton
    DirtyRecordPolicy dirtyRecordPolicy(IngestSettings settings, TopicProvisioner topics, KafkaClients clients) {
        IngestSettings.Errors errors = settings.errors();
        Set<String> recorded = Set.of();
        if (DirtyRecordPolicy.needsHistory(errors.policy(), errors.limit())) {
            topics.rowsPartitions(); // the error topic exists from here on
            recorded = DirtyRecordHistory.read(clients, errors.topic(), settings.connector(), settings::readsTopic);
        }
        return new DirtyRecordPolicy(errors.policy(), errors.limit(), recorded);
    }

    /**
     * The streaming path's publisher. Its producer opens with the first batch only, so job mode, which never consumes
     * the source topics, never opens it.
     */
    @Produces
    @Singleton
    RowsPublisher publisher(RowsPublishers publishers, Event<Producer<?, ?>> created) {
        // the Micrometer Kafka binder exports the producer's kafka_producer_* metrics, as for a channel's
        return publishers.create(CLIENT_ID, created::fire);
    }

    /** Waits (bounded) for sends still in flight, so their source records can still be acknowledged. */
    void close(@Disposes RowsPublisher publisher) {
        publisher.close(Duration.ofSeconds(10));
    }
}
