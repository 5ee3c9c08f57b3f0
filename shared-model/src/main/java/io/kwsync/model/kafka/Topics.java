package io.kwsync.model.kafka;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * Makes sure the connector's internal topics exist (the spec's "Auto" resource creation) and reports their
 * partition counts. Both services call it at start, so either may be deployed first.
 */
public final class Topics {

    private static final Logger LOG = Logger.getLogger(Topics.class.getName());

    private Topics() {
    }

    /**
     * @param clientConfig Kafka client settings (bootstrap servers, security); entries that are not admin settings
     *                     are ignored
     * @param wanted       topic -> partitions to create it with
     * @param create       create missing topics; when false a missing topic is an error
     * @return topic -> actual partition count
     */
    public static Map<String, Integer> ensure(Map<String, Object> clientConfig, Map<String, Integer> wanted, boolean create) {
        return ensure(clientConfig, wanted, Map.of(), create);
    }

    /** As {@link #ensure(Map, Map, boolean)}, creating missing topics with the given topic configs (e.g. compaction). */
    public static Map<String, Integer> ensure(Map<String, Object> clientConfig, Map<String, Integer> wanted,
                                              Map<String, String> topicConfig, boolean create) {
        Map<String, Object> props = new HashMap<>();
        clientConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) props.put(k, v);
        });
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        Map<String, Integer> out = new LinkedHashMap<>();
        try (AdminClient admin = AdminClient.create(props)) {
            for (Map.Entry<String, Integer> t : wanted.entrySet()) {
                out.put(t.getKey(), ensure(admin, t.getKey(), t.getValue(), topicConfig, create,
                        props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)));
            }
        }
        return out;
    }

    private static int ensure(AdminClient admin, String topic, int partitions, Map<String, String> topicConfig, boolean create,
                              Object servers) {
        try {
            Optional<TopicDescription> existing = describe(admin, topic);
            if (existing.isPresent()) return existing.get().partitions().size();
            if (!create) {
                throw new IllegalStateException("topic " + topic + " does not exist and KWSYNC_KAFKA_CREATE_TOPICS is false");
            }
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(topicConfig)))
                        .all().get(30, TimeUnit.SECONDS);
                LOG.info("created topic " + topic + " with " + partitions + " partitions");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
            return describe(admin, topic).orElseThrow().partitions().size();
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("cannot prepare topic " + topic + " on " + servers
                    + " (KWSYNC_KAFKA_BOOTSTRAP_SERVERS): " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topic " + topic, e);
        }
    }

    private static Optional<TopicDescription> describe(AdminClient admin, String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return Optional.empty();
            throw e;
        }
    }
}
