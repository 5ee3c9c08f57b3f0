package io.kwsync.sink.maxcompute;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The MaxCompute destination's settings (KWSYNC_SINK_TYPE=maxcompute): each key {@code kwsync.maxcompute.a-b} is set
 * by the variable {@code KWSYNC_MAXCOMPUTE_A_B}. Read and validated once at start into {@link MaxComputeSettings}.
 */
@ConfigMapping(prefix = "kwsync.maxcompute")
public interface MaxComputeConfig {

    /** REST endpoint of the region, e.g. http://service.cn-hangzhou.maxcompute.aliyun-inc.com/api. */
    Optional<String> endpoint();

    /** Tunnel endpoint; by default the service names it (GET /projects/P/tunnel). */
    Optional<String> tunnelEndpoint();

    /** MaxCompute project (DataWorks' Workspace). */
    Optional<String> project();

    /** Table every row is written to; by default each row's own table (ingest's KWSYNC_DESTINATION_TABLE). */
    Optional<String> table();

    /**
     * Where the credentials come from: access-key (the AccessKey pair below), sts (AccessKey id, secret and security
     * token from the three _FILE variables, read again when they change) or default-chain (the Alibaba Cloud default
     * credential chain: ALIBABA_CLOUD_* variables, the pod's OIDC role (ACK RRSA), the ECS/ACK RAM role).
     */
    @WithDefault("access-key")
    CredentialSource credentials();

    /** File holding the STS security token (first line), with KWSYNC_MAXCOMPUTE_CREDENTIALS=sts. */
    Optional<String> securityTokenFile();

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
     * first write of a job to a partition replaces it, later writes append), upsert, or stream (the streaming tunnel:
     * rows visible within seconds, at least once).
     */
    @WithDefault("auto")
    WriteMode writeMode();

    /** An open tunnel session of a partition is committed when it is this old (1s to 1h)... */
    @WithDefault("60s")
    Duration commitInterval();

    /** ...or when the blocks it took reach this many bytes as uploaded (compressed): a number with K, M or G, e.g. 64M. */
    @WithDefault("64M")
    String commitBytes();

    /** Deadline of every call to MaxCompute that waits on the network (block upload, flush, commit, status, SQL). */
    @WithDefault("60s")
    Duration callTimeout();

    /** Create the table at start when it does not exist: never, key-value (topic, partition, offset, key, value) or built-in (the six Kafka fields). */
    @WithDefault("never")
    CreateTable createTable();

    /** Extra columns of a created table, name:TYPE (TYPE defaults to STRING), e.g. a_a1,amount:DECIMAL(18,2). */
    Optional<List<String>> createTableColumns();

    /**
     * Primary key of a created table, e.g. topic,partition,offset: the table is then transactional (upserts), its key
     * columns NOT NULL.
     */
    Optional<List<String>> createTablePrimaryKey();

    /** Partition key columns of a created table (all STRING); keep equal to ingest's KWSYNC_PARTITION_COLUMNS. */
    @WithDefault("pt")
    List<String> createTablePartitionColumns();

    /** Lifecycle of a created table in days; 36500 (100 years) is DataWorks' default. */
    @WithDefault("36500")
    long lifecycle();

    /**
     * Add a column to the table for a message key it lacks (ALTER TABLE ... ADD COLUMNS), typed from the key's JSON
     * value. Off: such keys are ignored and counted (kwsync_keys_unknown_total).
     */
    @WithDefault("false")
    boolean autoAddColumns();

    /** Most columns auto-add gives a table, counting the columns it has (MaxCompute takes at most 1200). */
    @WithDefault("200")
    int autoColumnsMax();

    /** Compression of tunnel uploads: none or zlib. */
    @WithDefault("zlib")
    Compression compression();

    /**
     * Tables whose metadata the sink keeps in memory, least recently written first out (and as many streaming
     * sessions): a stream routed to thousands of tables holds this many, and a table that fell out is read again when
     * its next rows come.
     */
    @WithDefault("" + TableCatalog.DEFAULT_MAX_TABLES)
    int tableCacheSize();

    /** Compacted topic where the sink records each tunnel commit (exactly-once for append). Default: connect-offset-NAME. */
    String progressTopic();

    enum CredentialSource {
        ACCESS_KEY, STS, DEFAULT_CHAIN
    }

    enum WriteMode {
        AUTO, APPEND, OVERWRITE, UPSERT, STREAM
    }

    enum CreateTable {
        NEVER, KEY_VALUE, BUILT_IN
    }

    enum Compression {
        NONE, ZLIB
    }
}
