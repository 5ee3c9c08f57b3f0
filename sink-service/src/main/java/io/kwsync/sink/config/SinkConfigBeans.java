package io.kwsync.sink.config;

import io.kwsync.runtime.kafka.TopicProvisioner;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.Map;

/**
 * Hands this service's configuration to the plumbing shared with the other service (shared-runtime). The shared beans
 * inject {@code ServiceConfig}, which this service's mapping extends, directly.
 */
@ApplicationScoped
public class SinkConfigBeans {

    @Produces
    @Singleton
    TopicProvisioner topics(SinkConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return new TopicProvisioner(kafkaConfig, config.kafka().createTopics(), config.rows().topic(),
                config.rows().topicPartitions(), config.error().topic());
    }
}
