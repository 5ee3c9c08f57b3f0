package io.kwsync.runtime.kafka;

import io.kwsync.runtime.config.InvalidConfigurationException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
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
 * Makes sure the connector's internal topics exist (the managed connectors' "Auto" resource creation) and reports their
 * partition counts. Both services call it at start, so either may be deployed first.
 */
public final class Topics {

    private static final Logger LOG = Logger.getLogger(Topics.class.getName());

    /**
     * Largest message the internal topics accept (their max.message.bytes when created here): a 10 MB source record
     * mapped to a row, or sent to the error topic, must fit. The ingest producer's max.request.size matches it.
     */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    /** How long a broker may take to accept connections at start (one that is starting with this service). */
    static final Duration REACH_PATIENCE = Duration.ofSeconds(30);
    /**
     * How long the brokers may leave the topic requests unanswered before the service gives up at start: a busy cluster
     * answers late, and a listener that speaks another protocol never does.
     */
    static final Duration ANSWER_PATIENCE = Duration.ofSeconds(90);
    /** How long one topic request may go unanswered before it is asked again. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String BOOTSTRAP = "KWSYNC_KAFKA_BOOTSTRAP_SERVERS (kwsync.kafka.bootstrap-servers)";

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
        return ensure(clientConfig, wanted,
                Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(MAX_MESSAGE_BYTES)), create);
    }

    /** As {@link #ensure(Map, Map, boolean)}, creating missing topics with the given topic configs (e.g. compaction). */
    public static Map<String, Integer> ensure(Map<String, Object> clientConfig, Map<String, Integer> wanted,
                                              Map<String, String> topicConfig, boolean create) {
        return ensure(clientConfig, wanted, topicConfig, create, new Patience(ANSWER_PATIENCE, CALL_TIMEOUT));
    }

    /** How long one request may go unanswered ({@code call}), and all of them together before giving up ({@code total}). */
    record Patience(Duration total, Duration call) {
    }

    static Map<String, Integer> ensure(Map<String, Object> clientConfig, Map<String, Integer> wanted,
                                       Map<String, String> topicConfig, boolean create, Patience patience) {
        Map<String, Object> props = new HashMap<>();
        clientConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) props.put(k, v);
        });
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        props.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        Map<String, Integer> out = new LinkedHashMap<>();
        Object servers = props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        String unreachable = BootstrapServers.unreachable(servers, REACH_PATIENCE);
        if (unreachable != null) {
            throw new InvalidConfigurationException(List.of(BOOTSTRAP + " '" + servers + "': " + unreachable));
        }
        AdminClient created;
        try {
            created = AdminClient.create(props);
        } catch (KafkaException e) {
            throw KafkaFailures.clientNotCreated(e, servers);
        }
        try {
            for (Map.Entry<String, Integer> t : wanted.entrySet()) {
                out.put(t.getKey(), ensure(created, t.getKey(), t.getValue(), topicConfig, create, servers, patience));
            }
        } finally {
            created.close(patience.call()); // requests still unanswered are given up, not waited for
        }
        return out;
    }

    private static int ensure(AdminClient admin, String topic, int partitions, Map<String, String> topicConfig, boolean create,
                              Object servers, Patience patience) {
        long giveUp = System.nanoTime() + patience.total().toNanos();
        while (true) {
            try {
                return prepare(admin, topic, partitions, topicConfig, create, servers, patience);
            } catch (SlowBroker e) {
                if (System.nanoTime() > giveUp) throw e.failure;
                LOG.warning("topic " + topic + ": no answer from the brokers within " + patience.call().toSeconds()
                        + "s; asking again (until " + patience.total().toSeconds() + "s have passed)");
            }
        }
    }

    /** The brokers did not answer in time: a busy or starting cluster, or a listener speaking another protocol. */
    private static final class SlowBroker extends Exception {
        final InvalidConfigurationException failure;

        SlowBroker(InvalidConfigurationException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private static int prepare(AdminClient admin, String topic, int partitions, Map<String, String> topicConfig, boolean create,
                               Object servers, Patience patience) throws SlowBroker {
        long call = patience.call().toMillis();
        try {
            Optional<TopicDescription> existing = describe(admin, topic, call);
            if (existing.isPresent()) return existing.get().partitions().size();
            if (!create) {
                throw new InvalidConfigurationException(List.of("KWSYNC_KAFKA_CREATE_TOPICS (kwsync.kafka.create-topics) is"
                        + " false and topic " + topic + " does not exist on " + servers + ": create it, or set the variable to"
                        + " true to let the service create it"));
            }
            try {
                NewTopic newTopic = new NewTopic(topic, Optional.of(partitions), Optional.empty()).configs(topicConfig);
                CreateTopicsResult created = admin.createTopics(List.of(newTopic));
                created.all().get(call, TimeUnit.MILLISECONDS);
                LOG.info("created topic " + topic + " with " + partitions + " partitions");
                // From the create response: a describe right after may not see the topic yet.
                return created.numPartitions(topic).get(call, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
            return awaitDescription(admin, topic, call);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            var security = KafkaFailures.securityProblem(cause, servers);
            if (security.isPresent()) throw security.get();
            boolean noAnswer = cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException;
            var failure = new InvalidConfigurationException(List.of(BOOTSTRAP + " '" + servers + "': the brokers accept"
                    + " connections but did not prepare topic " + topic + " (" + (noAnswer ? "no answer within "
                    + patience.total().toSeconds() + "s" : cause.getMessage()) + "). Check that KWSYNC_KAFKA_SECURITY_PROTOCOL"
                    + " matches that listener (PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL) and the brokers are healthy"));
            if (noAnswer) throw new SlowBroker(failure);
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing topic " + topic, e);
        }
    }

    /**
     * The largest record each topic takes (its max.message.bytes, which a topic created outside kwsync may set lower
     * than {@link #MAX_MESSAGE_BYTES}), so a service can route a record that cannot fit instead of having the broker
     * refuse it. A broker that does not tell (no DESCRIBE_CONFIGS right) leaves {@link #MAX_MESSAGE_BYTES}, with a
     * warning.
     */
    public static Map<String, Integer> messageLimits(Map<String, Object> clientConfig, List<String> topics) {
        Map<String, Object> props = new HashMap<>();
        clientConfig.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) props.put(k, v);
        });
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        Map<String, Integer> out = new LinkedHashMap<>();
        topics.forEach(t -> out.put(t, MAX_MESSAGE_BYTES));
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        try (AdminClient admin = AdminClient.create(props)) {
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            configs.forEach((r, c) -> {
                ConfigEntry e = c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (e != null && e.value() != null) out.put(r.name(), Integer.parseInt(e.value()));
            });
        } catch (ExecutionException | TimeoutException | KafkaException | NumberFormatException e) {
            LOG.warning("cannot read max.message.bytes of " + topics + " (" + e.getMessage() + "); assuming "
                    + MAX_MESSAGE_BYTES + " bytes");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** The other service has just created the topic: wait until the broker's metadata shows it. */
    private static int awaitDescription(AdminClient admin, String topic, long call)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(call);
        while (true) {
            Optional<TopicDescription> d = describe(admin, topic, call);
            if (d.isPresent()) return d.get().partitions().size();
            if (System.nanoTime() > deadline) throw new TimeoutException("topic " + topic + " exists but cannot be described");
            Thread.sleep(200);
        }
    }

    private static Optional<TopicDescription> describe(AdminClient admin, String topic, long call)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            return Optional.of(admin.describeTopics(List.of(topic)).allTopicNames().get(call, TimeUnit.MILLISECONDS).get(topic));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) return Optional.empty();
            throw e;
        }
    }
}
