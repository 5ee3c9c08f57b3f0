package io.kwsync.runtime.config;

import io.kwsync.runtime.api.ApiConfig;
import io.kwsync.runtime.kafka.KafkaSecurityConfig;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The configuration groups both services read the same way. Each service's {@code @ConfigMapping(prefix = "kwsync")}
 * interface extends this one and adds its own groups, so a key such as {@code kwsync.kafka.bootstrap-servers}
 * ({@code KWSYNC_KAFKA_BOOTSTRAP_SERVERS}) means the same in both and is declared, documented and checked once
 * ({@link ServiceConfigCheck}). The service makes its mapping injectable as this type with one producer method.
 */
public interface ServiceConfig {

    Connector connector();

    Kafka kafka();

    Failure failure();

    /** The bearer token of the HTTP API (KWSYNC_API_TOKEN, KWSYNC_API_TOKEN_FILE). */
    ApiConfig api();

    Http http();

    /** Where the HTTP server (health, metrics, API) listens. */
    interface Http {
        /** Port of health, metrics and API. */
        @WithDefault("8080")
        int port();

        /** Address to listen on: 0.0.0.0 (all interfaces, as a container needs), or one address of this machine. */
        @WithDefault("0.0.0.0")
        String host();
    }

    interface Connector {
        /**
         * Connector name: 1-48 of [0-9a-z-], not starting with '-'. It names the consumer groups (connect-NAME for
         * the source topics, kwsync-sink-NAME for the rows topic) and the default internal topics.
         */
        Optional<String> name();
    }

    /** Brokers and topic provisioning; TLS and SASL settings come from {@link KafkaSecurityConfig}. */
    interface Kafka extends KafkaSecurityConfig {
        /** Comma-separated host:port list of the Kafka brokers. */
        @WithDefault("127.0.0.1:9092")
        String bootstrapServers();

        /** Create the internal topics (rows, error) at start when they are missing ("Auto" resource creation). */
        @WithDefault("true")
        boolean createTopics();

        /**
         * Consumer-group session timeout: how long the group waits for a replica that stopped heartbeating (killed,
         * cut off) before its partitions go to another replica or to its own restarted process. Heartbeats are sent
         * every third of it. The broker accepts 6s to 30m by default (group.min/max.session.timeout.ms).
         */
        @WithDefault("45s")
        Duration sessionTimeout();
    }

    interface Failure {
        /**
         * continue: a dirty source record (ingest-service) or a row the destination refuses (sink-service) goes to
         * the error topic and the stream goes on; stop: the first one stops the connector where it is, unacknowledged,
         * until a restart (Continue / Stop Subscription).
         */
        @WithDefault("continue")
        FailurePolicy policy();
    }

    enum FailurePolicy {
        CONTINUE, STOP
    }
}
