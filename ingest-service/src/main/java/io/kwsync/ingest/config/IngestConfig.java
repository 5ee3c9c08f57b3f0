package io.kwsync.ingest.config;

import io.kwsync.model.api.ApiConfig;
import io.kwsync.model.kafka.KafkaSecurityConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/**
 * Everything ingest-service reads from its environment. Each key {@code kwsync.a.b-c} is set by the variable
 * {@code KWSYNC_A_B_C}; {@link IngestConfigCheck} validates the combination at start.
 */
@ConfigMapping(prefix = "kwsync")
public interface IngestConfig {

    Connector connector();

    Kafka kafka();

    Source source();

    Rows rows();

    Error error();

    Destination destination();

    /** The bearer token of the HTTP API (KWSYNC_API_TOKEN, KWSYNC_API_TOKEN_FILE). */
    ApiConfig api();

    interface Connector {
        /** Connector name: 1-48 of [0-9a-z-], not starting with '-'. The source consumer group is connect-NAME. */
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

    interface Source {
        /** Comma-separated topics to read. Required. */
        Optional<List<String>> topics();

        /** Where a new consumer group starts: earliest or latest. */
        @WithDefault("earliest")
        OffsetReset offsetReset();
    }

    interface Rows {
        /** The internal topic that carries RowEvents to sink-service. Default: kwsync-rows-NAME. */
        String topic();

        /** Partitions of the rows topic when it is created here. More partitions allow more sink replicas. */
        @WithDefault("6")
        int topicPartitions();
    }

    interface Error {
        /** Where dirty records go, with their original bytes and the reason. Default: connect-error-NAME. */
        String topic();
    }

    interface Destination {
        /** Destination table every row is written to. Required. */
        Optional<String> table();
    }

    enum OffsetReset {
        EARLIEST, LATEST
    }
}
