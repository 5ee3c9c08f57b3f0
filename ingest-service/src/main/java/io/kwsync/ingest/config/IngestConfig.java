package io.kwsync.ingest.config;

import io.kwsync.ingest.convert.KeyValueMapper;
import io.kwsync.runtime.config.ServiceConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything ingest-service reads from its environment. Each key {@code kwsync.a.b-c} is set by the variable
 * {@code KWSYNC_A_B_C}. Read once, at start, into {@link IngestSettings}, which validates the combination; the rest of
 * the service takes the settings, not this interface.
 */
@ConfigMapping(prefix = "kwsync")
public interface IngestConfig extends ServiceConfig {

    Source source();

    Rows rows();

    Error error();

    Destination destination();

    Mapping mapping();

    Record record();

    Partition partition();

    interface Source {
        /** Comma-separated topics to read. Required unless {@link #topicPattern()} is set (exactly one of the two). */
        Optional<List<String>> topics();

        /**
         * A regular expression: read every topic whose whole name matches it, including topics created later (the
         * consumer's pattern subscription). The connectors' internal topics never match. Alternative to the topic list.
         */
        Optional<String> topicPattern();

        /** Where a new consumer group starts: earliest or latest. */
        @WithDefault("earliest")
        OffsetReset offsetReset();

        /** How keys are decoded for __key__: BYTEARRAY, STRING, SHORT, INTEGER, LONG, FLOAT or DOUBLE. */
        @WithDefault("STRING")
        String keyType();

        /** How values are decoded: BYTEARRAY, STRING, SHORT, INTEGER, LONG, FLOAT or DOUBLE. */
        @WithDefault("STRING")
        String valueType();

        /** Charset of STRING keys and values (the Kafka Reader's encoding), e.g. UTF-8, GBK, ISO-8859-1. */
        @WithDefault("UTF-8")
        String encoding();

        /**
         * Consumer threads of this replica (the managed connectors' Consumer Thread Concurrency); one source consumer
         * each, polled on its own thread.
         */
        @WithDefault("1")
        int concurrency();
    }

    interface Rows {
        /** The internal topic that carries RowEvents to sink-service. Default: kwsync-rows-NAME. */
        String topic();

        /** Partitions of the rows topic when it is created here. More partitions allow more sink replicas. */
        @WithDefault("6")
        int topicPartitions();

        /** Compression of the records ingest-service writes to the rows topic: none, gzip, snappy, lz4 or zstd. */
        @WithDefault("lz4")
        String compression();
    }

    interface Error {
        /** Where dirty records go, with their original bytes and the reason. Default: connect-error-NAME. */
        String topic();

        /**
         * Dirty records this replica tolerates before it stops (the Kafka Reader's errorLimit): unset = no limit, 0 = stop at
         * the first. Only with failure policy continue.
         */
        Optional<Long> limit();
    }

    interface Destination {
        /**
         * Destination table every row is written to, or a routing template ({@code ods_${topic}}, {@code
         * ${value.type|lower}_events}) read without configuration-expression expansion. Required.
         */
        Optional<String> table();

        /** Routing: "value => table" entries that turn what the template gives into a table ({@code *} for the rest). */
        Optional<String> tableMap();

        /** Routing: a regular expression every routed table name must match in full; other records go to the error topic. */
        Optional<String> tableAllow();

        /** Routing: the longest table name a record may be routed to (the destination's identifier limit). */
        @WithDefault("128")
        int tableMaxLength();
    }

    interface Mapping {
        /**
         * The columns to write, as "source => column" entries separated by commas or new lines (see README). Unset:
         * each top-level key of a JSON object value becomes the column of the same name.
         */
        Optional<String> columns();
    }

    interface Record {
        /**
         * How a record becomes columns: json-columns (each key of a JSON object value is a column) or key-value (the
         * MaxCompute connector's topic, partition, offset, key, value row).
         */
        @WithDefault("json-columns")
        Layout layout();

        /** key-value layout: which parts are kept, key, value or default (both). Default: default. */
        Optional<KeyValueMapper.Mode> mode();

        /** key-value layout: text (UTF-8 strings), binary (bytes) or csv (comma-separated fields). Default: text. */
        Optional<KeyValueMapper.Format> format();
    }

    interface Partition {
        /**
         * Time partitions from the record timestamp: none, day, hour or minute. Default: hour for the key-value
         * layout, none for json-columns.
         */
        Optional<Granularity> granularity();

        /** Time zone the record timestamp is read in, e.g. GMT+08:00, UTC, Asia/Shanghai. */
        @WithDefault("GMT+08:00")
        String timeZone();

        /** Partition key columns, in the table's order. */
        @WithDefault("pt")
        List<String> columns();

        /**
         * One java.time pattern per partition column, e.g. yyyyMMdd,HH. Default for one column: MM-dd-yyyy (day),
         * MM-dd-yyyy HH (hour), MM-dd-yyyy HH:mm (minute).
         */
        Optional<List<String>> patterns();

        /**
         * Partition columns that take a value of the record instead of the time, as column=field pairs, e.g.
         * region=value.region. Fields: value.PATH, key, header.NAME, topic.
         */
        Optional<List<String>> fields();

        /**
         * Where the time of the time columns comes from: timestamp (the record's Kafka timestamp) or a field
         * (value.PATH, key, header.NAME). Default: timestamp.
         */
        Optional<String> timeField();

        /**
         * How the time field is read: epoch-millis, epoch-seconds, iso, or a java.time pattern such as
         * yyyy-MM-dd HH:mm:ss. Default: epoch-millis.
         */
        Optional<String> timeFormat();

        /**
         * The partition of records whose partition field is missing or unusable, as column=value pairs (e.g.
         * ds=19700101,region=unknown); without it such records are dirty.
         */
        @WithName("default")
        Optional<String> fallback();
    }

    enum OffsetReset {
        EARLIEST, LATEST
    }

    enum Layout {
        JSON_COLUMNS, KEY_VALUE
    }

    enum Granularity {
        NONE, DAY, HOUR, MINUTE
    }
}
