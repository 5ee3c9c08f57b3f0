package io.kwsync.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The Kafka Writer of a writer-mode deployment (KWSYNC_INGEST_MODE=writer): each run reads the rows of a source table
 * and writes one Kafka record per row to a topic, building key and value as DataWorks' Kafka Writer does (its
 * parameter names are in each comment). The run's schedule, parameters and reruns are the job's (KWSYNC_JOB_*).
 * Settings marked as templates may use the run's scheduling parameters as ${name}; they are read as written
 * ({@link RawSettings}). {@link WriterDefinition} validates everything at start.
 */
@ConfigMapping(prefix = "kwsync.writer")
public interface WriterConfig {

    /** Where the rows come from. */
    Source source();

    /** The topic records are written to (topic). Required. */
    Optional<String> topic();

    /** 0-based index of the source column that becomes the record key (keyIndex); excludes KWSYNC_WRITER_KEY_INDEXES. */
    Optional<Integer> keyIndex();

    /** Comma-separated 0-based column indexes whose values, joined by commas, become the key (keyIndexes). */
    Optional<String> keyIndexes();

    /** 0-based index of the column that becomes the value (valueIndex); unset: all columns, as KWSYNC_WRITER_WRITE_MODE says. */
    Optional<Integer> valueIndex();

    /** How all columns make the value when KWSYNC_WRITER_VALUE_INDEX is unset (writeMode): text or json. */
    @WithDefault("text")
    String writeMode();

    /**
     * The JSON fields of the value in json mode (column): a JSON array of {"name":"col1","type":"JSON_NUMBER"} objects
     * or names, or name[:TYPE] separated by commas. Types JSON_STRING (default), JSON_NUMBER, JSON_BOOL, JSON_ARRAY,
     * JSON_MAP, JSON_BASE64, JSON_HEX.
     */
    Optional<String> column();

    /** Separator of the columns in text mode (fieldDelimiter): one or more characters, escapes \t \n \r \\ \\uXXXX. Default \t. */
    Optional<String> fieldDelimiter();

    /** Text written for a null key column (nullKeyFormat); unset: a null key stays null. */
    Optional<String> nullKeyFormat();

    /** Text written for a null column in the value (nullValueFormat); unset: null (an empty field in text mode). */
    Optional<String> nullValueFormat();

    /** Partition every record goes to (partition); unset: the producer's partitioner, round robin for null keys. */
    Optional<Integer> partition();

    /** Type of the key (keyType): BYTEARRAY, DOUBLE, FLOAT, INTEGER, LONG, SHORT or STRING, as Kafka's serializers write them. */
    @WithDefault("STRING")
    String keyType();

    /** Type of the value (valueType), the same types. */
    @WithDefault("STRING")
    String valueType();

    /** Producer acknowledgements (acks): all (transactional, exactly once), 1 or 0 (neither transactional nor exactly once). */
    @WithDefault("all")
    String acks();

    /** Records written between two waits for the broker's acknowledgements (batchSize). */
    @WithDefault("1024")
    int batchSize();

    /** Dirty rows a run tolerates before it fails (errorLimit.record); unset: no limit, 0: none. */
    Optional<Long> errorLimit();

    /** Throughput limit of a run in MB/s (speed.mbps, 1 MB = 1,048,576 bytes of keys and values); unset: no limit. */
    Optional<Double> speedMbps();

    /** Longest a run's Kafka transaction may stay open; at most the broker's transaction.max.timeout.ms (15m by default). */
    @WithDefault("15m")
    Duration transactionTimeout();

    /** The source table of the runs. */
    interface Source {
        /** jdbc (MySQL, MariaDB, PostgreSQL, AnalyticDB) or maxcompute (a table partition through a tunnel download session). */
        @WithDefault("jdbc")
        String type();

        /** jdbc:mysql://host:port/db or jdbc:postgresql://host:port/db. Must not carry a password. */
        Optional<String> jdbcUrl();

        /** Database user. */
        Optional<String> jdbcUser();

        /** Database password; prefer KWSYNC_WRITER_SOURCE_JDBC_PASSWORD_FILE. */
        Optional<String> jdbcPassword();

        /** File holding the database password (first line); wins over KWSYNC_WRITER_SOURCE_JDBC_PASSWORD. */
        Optional<String> jdbcPasswordFile();

        /** Template. The SQL query whose rows are written (querySql); excludes KWSYNC_WRITER_SOURCE_TABLE. */
        Optional<String> query();

        /** The table whose rows are written (table), [schema.]name; with MaxCompute the table of the project. */
        Optional<String> table();

        /** Comma-separated columns of the table, in record order (column); default all, in the table's order. */
        Optional<String> columns();

        /** Template. Condition of the rows of a JDBC table (where), e.g. ds='${bizdate}'. */
        Optional<String> where();

        /** Template. MaxCompute: the partition read (partition), e.g. ds=${bizdate}; required for a partitioned table. */
        Optional<String> partition();

        /** JDBC: rows fetched per round trip while the query streams. */
        @WithDefault("1000")
        int fetchSize();

        /** MaxCompute REST endpoint, e.g. http://service.cn-hangzhou.maxcompute.aliyun-inc.com/api. */
        Optional<String> maxcomputeEndpoint();

        /** MaxCompute tunnel endpoint, when it must be pinned (default: asked from the service). */
        Optional<String> maxcomputeTunnelEndpoint();

        /** MaxCompute project. */
        Optional<String> maxcomputeProject();

        /** AccessKey ID. */
        Optional<String> maxcomputeAccessId();

        /** File holding the AccessKey ID (first line); wins over KWSYNC_WRITER_SOURCE_MAXCOMPUTE_ACCESS_ID. */
        Optional<String> maxcomputeAccessIdFile();

        /** AccessKey secret. */
        Optional<String> maxcomputeAccessKey();

        /** File holding the AccessKey secret (first line); wins over KWSYNC_WRITER_SOURCE_MAXCOMPUTE_ACCESS_KEY. */
        Optional<String> maxcomputeAccessKeyFile();
    }
}
