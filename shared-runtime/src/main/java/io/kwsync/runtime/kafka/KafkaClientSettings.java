package io.kwsync.runtime.kafka;

import io.kwsync.runtime.config.ServiceConfig;
import io.quarkus.kafka.client.runtime.KafkaRuntimeConfigProducer;
import io.quarkus.runtime.ApplicationConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * The settings of every Kafka client of a service: the messaging channels, the admin client of
 * {@link TopicProvisioner} and the service's own producers and consumers all take this map, so KWSYNC_KAFKA_*
 * security reaches each of them. Replaces Quarkus' default map (built from kafka.* properties), which it extends.
 */
@ApplicationScoped
public class KafkaClientSettings {

    private static final Logger LOG = Logger.getLogger(KafkaClientSettings.class);

    @Produces
    @Singleton
    @Identifier("default-kafka-broker")
    Map<String, Object> settings(Config config, ApplicationConfig app, ServiceConfig service) {
        return GroupSession.apply(KafkaSecurity.apply(new KafkaRuntimeConfigProducer().createKafkaRuntimeConfig(config, app),
                service.kafka(), LOG::warn), service.kafka().sessionTimeout());
    }
}
