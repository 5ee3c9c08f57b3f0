package io.kwsync.sink.jdbc;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * The JDBC destination's settings (KWSYNC_SINK_TYPE=jdbc): each key {@code kwsync.jdbc.a-b} is set by the variable
 * {@code KWSYNC_JDBC_A_B}. Read and validated once at start into {@link JdbcSettings}.
 */
@ConfigMapping(prefix = "kwsync.jdbc")
public interface JdbcConfig {

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

    /** The default of {@link #autoColumnsMax}: far below the databases' limits (1,017 on MySQL's InnoDB, 1,600 on PostgreSQL). */
    int DEFAULT_AUTO_COLUMNS_MAX = 200;

    /**
     * Most columns auto-create and auto-add give a table (counting the columns it has): a row with a value for a key
     * beyond it goes to the error topic, so a producer of random keys cannot use up the table's column limit.
     */
    @WithDefault("" + DEFAULT_AUTO_COLUMNS_MAX)
    int autoColumnsMax();

    /** The default of {@link #schemaCacheSize}. */
    int DEFAULT_SCHEMA_CACHE_SIZE = 1000;

    /**
     * Tables whose schema the sink keeps in memory, least recently written first out: a stream routed to thousands of
     * tables holds this many, and a table that fell out is read again when its next rows come.
     */
    @WithDefault("" + DEFAULT_SCHEMA_CACHE_SIZE)
    int schemaCacheSize();

    /**
     * Plain inserts go through the database's bulk load (LOAD DATA LOCAL INFILE from memory, COPY FROM STDIN),
     * falling back to INSERT statements for what it cannot carry and for the whole run if the database refuses it.
     */
    @WithDefault("true")
    boolean bulkLoad();

    /**
     * Version-aware upserts (write mode upsert): the numeric column holding each row's version; a row replaces the row
     * of its primary key only when its version is higher, older ones are counted as stale and not written. Map the
     * source record's offset or timestamp into it (KWSYNC_MAPPING_COLUMNS) to order by those. Unset: the last row wins.
     */
    Optional<String> versionColumn();

    /**
     * Where the version comes from: column (the row's value for the version column), timestamp (the source record's
     * timestamp, epoch milliseconds) or offset (its offset, which orders the records of one source partition only);
     * timestamp and offset are written into the version column.
     */
    @WithDefault("column")
    VersionSource versionSource();

    enum JdbcWriteMode {
        INSERT, UPSERT
    }

    enum VersionSource {
        COLUMN, TIMESTAMP, OFFSET
    }
}
