package io.kwsync.ingest.config;

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
public class IngestConfigBeans {

    @Produces
    @Singleton
    TopicProvisioner topics(IngestConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        return new TopicProvisioner(kafkaConfig, config.kafka().createTopics(), config.rows().topic(),
                config.rows().topicPartitions(), config.error().topic());
    }
}
