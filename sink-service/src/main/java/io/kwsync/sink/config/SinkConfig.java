package io.kwsync.sink.config;

import io.kwsync.model.api.ApiConfig;
import io.kwsync.model.kafka.KafkaSecurityConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Everything sink-service reads from its environment. Each key {@code kwsync.a.b-c} is set by the variable
 * {@code KWSYNC_A_B_C}; {@link SinkConfigCheck} validates the combination at start.
 */
@ConfigMapping(prefix = "kwsync")
public interface SinkConfig {

    Connector connector();

    Kafka kafka();

    Rows rows();

    Error error();

    Sink sink();

    Jdbc jdbc();

    /** The bearer token of the HTTP API (KWSYNC_API_TOKEN, KWSYNC_API_TOKEN_FILE). */
    ApiConfig api();

    interface Connector {
        /** Connector name: 1-48 of [0-9a-z-], not starting with '-'. */
        Optional<String> name();
    }

    /** Brokers and topic provisioning; TLS and SASL settings come from {@link KafkaSecurityConfig}. */
    interface Kafka extends KafkaSecurityConfig {
        /** Comma-separated host:port list of the Kafka brokers. */
        @WithDefault("127.0.0.1:9092")
        String bootstrapServers();

        /** Create the rows and error topics at start when they are missing (the spec's "Auto" resource creation). */
        @WithDefault("true")
        boolean createTopics();
    }

    interface Rows {
        /** The internal topic ingest-service writes RowEvents to. Default: kwsync-rows-NAME. */
        String topic();

        /** Partitions of the rows topic when it is created here; keep equal to ingest-service's setting. */
        @WithDefault("6")
        int topicPartitions();
    }

    interface Error {
        /** Where rows the destination refuses go, with the reason. Default: connect-error-NAME. */
        String topic();
    }

    interface Sink {
        /** Destination kind: jdbc (AnalyticDB for MySQL / PostgreSQL) or maxcompute. */
        @WithDefault("jdbc")
        SinkType type();

        /** A batch is written when it holds this many rows... */
        @WithDefault("10000")
        int batchMaxRows();

        /** ...or when its oldest row has waited this long. */
        @WithDefault("1s")
        Duration batchMaxAge();

        /** Longest pause between two attempts to write a batch while the destination is unavailable. */
        @WithDefault("30s")
        Duration retryBackoffMax();

        /** How long a batch is retried before the service gives up, reports DOWN and stops consuming. */
        @WithDefault("10m")
        Duration retryTimeout();
    }

    interface Jdbc {
        /** jdbc:mysql://host:port/db (AnalyticDB for MySQL, MySQL, MariaDB) or jdbc:postgresql://host:port/db. */
        Optional<String> url();

        /** Database user. */
        Optional<String> user();

        /** Database password. Prefer KWSYNC_JDBC_PASSWORD_FILE with a mounted Secret. */
        Optional<String> password();

        /** File holding the database password (first line); wins over KWSYNC_JDBC_PASSWORD. */
        Optional<String> passwordFile();

        /** Connections in the pool. */
        @WithDefault("4")
        int poolSize();

        /** Table where the sink records, per source partition, the next offset to write (exactly-once). */
        @WithDefault("kwsync_offsets")
        String progressTable();
    }

    enum SinkType {
        JDBC, MAXCOMPUTE
    }
}
