package io.kwsync.runtime.kafka;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * Provisions the internal topics at start, after the configuration check (PLATFORM_BEFORE) and before the Kafka
 * channels connect (LIBRARY_BEFORE), so a missing topic or a broker that refuses us stops the service with a clear
 * message instead of a channel failure.
 */
@ApplicationScoped
public class TopicProvisioning {

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 10) StartupEvent event, TopicProvisioner topics) {
        topics.rowsPartitions();
    }
}
