package io.kwsync.ingest.kafka;

import io.kwsync.ingest.config.IngestConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Makes sure the rows and error topics exist before the pipeline starts (creating them when
 * {@code KWSYNC_KAFKA_CREATE_TOPICS} is true) and learns the rows topic's partition count, which fixes the routing.
 */
@ApplicationScoped
public class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    private static final int ERROR_TOPIC_PARTITIONS = 6;

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
            try (AdminClient admin = AdminClient.create(adminConfig())) {
                rowsPartitions = ensure(admin, config.rows().topic(), config.rows().topicPartitions());
                ensure(admin, config.error().topic(), ERROR_TOPIC_PARTITIONS);
            }
        }
        return rowsPartitions;
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) props.put(k, v);
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        return props;
    }

    private int ensure(AdminClient admin, String topic, int partitions) {
        try {
            Optional<TopicDescription> existing = describe(admin, topic);
            if (existing.isPresent()) return existing.get().partitions().size();
            if (!config.kafka().createTopics()) {
                throw new IllegalStateException("topic " + topic + " does not exist and KWSYNC_KAFKA_CREATE_TOPICS is false");
            }
            try {
                admin.createTopics(java.util.List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                        .all().get(30, TimeUnit.SECONDS);
                LOG.infof("created topic %s with %d partitions", topic, partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
            return describe(admin, topic).orElseThrow().partitions().size();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot prepare topic " + topic + " on " + config.kafka().bootstrapServers()
                    + " (KWSYNC_KAFKA_BOOTSTRAP_SERVERS): " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topic " + topic, e);
        }
    }

    private static Optional<TopicDescription> describe(AdminClient admin, String topic)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        try {
            return Optional.of(admin.describeTopics(java.util.List.of(topic)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return Optional.empty();
            throw e;
        }
    }
}
