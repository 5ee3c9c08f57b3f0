package io.kwsync.ingest.kafka;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.model.kafka.Topics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Before the pipeline starts: makes sure the rows and error topics exist and learns the rows topic's partition
 * count, which fixes the routing of source partitions to rows partitions.
 */
@ApplicationScoped
public class TopicProvisioner {

    public static final int ERROR_TOPIC_PARTITIONS = 6;

    private final IngestConfig config;
    private final Map<String, Object> kafkaConfig;
    private volatile int rowsPartitions = -1;

    public TopicProvisioner(IngestConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event) {
        rowsPartitions();
    }

    public synchronized int rowsPartitions() {
        if (rowsPartitions < 0) {
            Map<String, Integer> wanted = new LinkedHashMap<>();
            wanted.put(config.rows().topic(), config.rows().topicPartitions());
            wanted.put(config.error().topic(), ERROR_TOPIC_PARTITIONS);
            rowsPartitions = Topics.ensure(kafkaConfig, wanted, config.kafka().createTopics()).get(config.rows().topic());
        }
        return rowsPartitions;
    }
}
