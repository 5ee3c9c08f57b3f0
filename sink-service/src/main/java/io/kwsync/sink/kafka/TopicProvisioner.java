package io.kwsync.sink.kafka;

import io.kwsync.model.kafka.Topics;
import io.kwsync.sink.config.SinkConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.util.LinkedHashMap;
import java.util.Map;

/** Before consuming: makes sure the rows and error topics exist, whichever service starts first. */
@ApplicationScoped
public class TopicProvisioner {

    static final int ERROR_TOPIC_PARTITIONS = 6;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event, SinkConfig config,
                 @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Integer> wanted = new LinkedHashMap<>();
        wanted.put(config.rows().topic(), config.rows().topicPartitions());
        wanted.put(config.error().topic(), ERROR_TOPIC_PARTITIONS);
        Topics.ensure(kafkaConfig, wanted, config.kafka().createTopics());
    }
}
