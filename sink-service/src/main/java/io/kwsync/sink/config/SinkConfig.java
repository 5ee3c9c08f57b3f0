package io.kwsync.sink.config;

import io.kwsync.runtime.config.ServiceConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything sink-service reads from its environment. Each key {@code kwsync.a.b-c} is set by the variable
 * {@code KWSYNC_A_B_C}; {@link SinkConfigCheck} validates the combination at start.
 */
@ConfigMapping(prefix = "kwsync")
public interface SinkConfig extends ServiceConfig {

    Rows rows();

    Error error();

    Sink sink();

    Jdbc jdbc();

    MaxCompute maxcompute();

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

        /**
         * On SIGTERM, how long the sink may take to write and commit the rows it holds before it exits anyway (what
         * is not committed then is read again after the restart; nothing is lost). Keep it below the pod's
         * terminationGracePeriodSeconds (30s by default).
         */
        @WithDefault("20s")
        Duration shutdownTimeout();
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

        /**
         * insert: plain multi-row INSERTs (a row whose primary key exists is refused to the error topic); upsert:
         * insert or update on the table's primary key (idempotent even where the database has no transactions).
         */
        @WithDefault("insert")
        JdbcWriteMode writeMode();

        /**
         * Time zone of date-time text without an offset, and of the wall-clock time written to DATE, DATETIME and
         * TIMESTAMP WITHOUT TIME ZONE columns for instants (epoch milliseconds, text with an offset).
         */
        @WithDefault("UTC")
        String timeZone();

        /** Create a missing destination table from the keys and JSON value types of the first messages. */
        @WithDefault("false")
        boolean autoCreateTable();

        /** Add a column for a message key the table does not have, typed from its JSON value. */
        @WithDefault("false")
        boolean autoAddColumns();

        /**
         * Plain inserts go through the database's bulk load (LOAD DATA LOCAL INFILE from memory, COPY FROM STDIN),
         * falling back to INSERT statements for what it cannot carry and for the whole run if the database refuses it.
         */
        @WithDefault("true")
        boolean bulkLoad();
    }

    enum JdbcWriteMode {
        INSERT, UPSERT
    }

    interface MaxCompute {
        /** REST endpoint of the region, e.g. http://service.cn-hangzhou.maxcompute.aliyun-inc.com/api. */
        Optional<String> endpoint();

        /** Tunnel endpoint; by default the service names it (GET /projects/P/tunnel). */
        Optional<String> tunnelEndpoint();

        /** MaxCompute project (the spec's Workspace). */
        Optional<String> project();

        /** Table every row is written to; by default each row's own table (ingest's KWSYNC_DESTINATION_TABLE). */
        Optional<String> table();

        /** AccessKey ID. Prefer KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE with a mounted Secret. */
        Optional<String> accessId();

        /** File holding the AccessKey ID (first line); wins over KWSYNC_MAXCOMPUTE_ACCESS_ID. */
        Optional<String> accessIdFile();

        /** AccessKey secret. Prefer KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE with a mounted Secret. */
        Optional<String> accessKey();

        /** File holding the AccessKey secret (first line); wins over KWSYNC_MAXCOMPUTE_ACCESS_KEY. */
        Optional<String> accessKeyFile();

        /**
         * auto (upsert into transactional tables with a primary key, append otherwise), append, overwrite (the
         * first write of a job to a partition replaces it, later writes append) or upsert.
         */
        @WithDefault("auto")
        WriteMode writeMode();

        /** Create the table at start when it does not exist: never, key-value (topic, partition, offset, key, value) or built-in (the six Kafka fields). */
        @WithDefault("never")
        CreateTable createTable();

        /** Extra columns of a created table, name:TYPE (TYPE defaults to STRING), e.g. a_a1,amount:DECIMAL(18,2). */
        Optional<List<String>> createTableColumns();

        /** Partition key columns of a created table (all STRING); keep equal to ingest's KWSYNC_PARTITION_COLUMNS. */
        @WithDefault("pt")
        List<String> createTablePartitionColumns();

        /** Lifecycle of a created table in days; 36500 is the spec's 100 years. */
        @WithDefault("36500")
        long lifecycle();

        /** Compression of tunnel uploads: none or zlib. */
        @WithDefault("zlib")
        Compression compression();

        /** Compacted topic where the sink records each tunnel commit (exactly-once for append). Default: connect-offset-NAME. */
        String progressTopic();
    }

    enum SinkType {
        JDBC, MAXCOMPUTE
    }

    enum WriteMode {
        AUTO, APPEND, OVERWRITE, UPSERT
    }

    enum CreateTable {
        NEVER, KEY_VALUE, BUILT_IN
    }

    enum Compression {
        NONE, ZLIB
    }
}
