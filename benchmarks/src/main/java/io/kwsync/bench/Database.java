package io.kwsync.bench;

import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A destination database of the benchmark: the table the rows go to, the sink's progress as the count of committed
 * rows, the commit latency of each row, and the database's own bulk-load rate of the same rows.
 */
enum Database {

    MARIADB("MariaDB", "mariadb", System.getenv().getOrDefault("KWSYNC_DEV_MARIADB_URL", "jdbc:mysql://127.0.0.1:3306/kwsync"),
            // CURRENT_TIMESTAMP(3) is the start of the INSERT statement, which commits with its batch
            "committed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)",
            "CAST(UNIX_TIMESTAMP(committed_at) * 1000 AS SIGNED) - produced_ms"),
    POSTGRESQL("PostgreSQL", "pg", System.getenv().getOrDefault("KWSYNC_DEV_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/kwsync"),
            // clock_timestamp(), not now(): now() is the start of the transaction
            "committed_at TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp()",
            "CAST(EXTRACT(EPOCH FROM committed_at) * 1000 AS BIGINT) - produced_ms");

    final String title;
    final String tag;
    final String url;
    private final String committedAtColumn;
    private final String latencyExpression;

    Database(String title, String tag, String url, String committedAtColumn, String latencyExpression) {
        this.title = title;
        this.tag = tag;
        this.url = url;
        this.committedAtColumn = committedAtColumn;
        this.latencyExpression = latencyExpression;
    }

    static String user() {
        return System.getenv().getOrDefault("KWSYNC_DEV_DB_USER", "kwsync");
    }

    static String password() {
        return System.getenv().getOrDefault("KWSYNC_DEV_DB_PASSWORD", "kwsync-dev-password");
    }

    /** Whether a command line is one of this database's server processes (PostgreSQL: one per connection too). */
    boolean isServer(String commandLine) {
        return this == MARIADB ? commandLine.contains("mariadbd") || commandLine.contains("mysqld") : commandLine.startsWith("postgres");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(this == MARIADB ? url + "?allowLoadLocalInfile=true" : url, user(), password());
    }

    void createTable(String table, Shape shape) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE " + table + " (" + shape.ddl(this) + ", " + committedAtColumn + ")");
        }
    }

    void dropTable(String table) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** Rows the sink committed for connector: the sum of its next offsets (rows and progress commit together). */
    long committed(Connection c, String connector) {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(SUM(next_offset), 0) FROM kwsync_offsets WHERE connector_name = ?")) {
            ps.setString(1, connector);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            return 0; // the sink has not created its progress table yet
        }
    }

    /** Commit time minus produce time of every row, in milliseconds, sorted. */
    long[] latencies(String table, int expected) throws SQLException {
        long[] out = new long[expected];
        int n = 0;
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + latencyExpression + " FROM " + table)) {
            while (rs.next()) out[n++] = rs.getLong(1);
        }
        if (n != expected) throw new IllegalStateException(table + " holds " + n + " rows, expected " + expected);
        java.util.Arrays.sort(out);
        return out;
    }

    /** Loads the CSV file into table with the database's own bulk path; returns rows per second. */
    double bulkLoad(String table, Path csv, long rows, String columns) throws SQLException {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            long start = System.nanoTime();
            long loaded;
            if (this == MARIADB) {
                try (Statement st = c.createStatement()) {
                    loaded = st.executeUpdate("LOAD DATA LOCAL INFILE '" + csv + "' INTO TABLE " + table
                            + " FIELDS TERMINATED BY ',' LINES TERMINATED BY '\\n' (" + columns + ")");
                }
            } else {
                try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                    loaded = c.unwrap(PGConnection.class).getCopyAPI()
                            .copyIn("COPY " + table + " (" + columns + ") FROM STDIN WITH (FORMAT csv)", in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            c.commit();
            long nanos = System.nanoTime() - start;
            if (loaded != rows) throw new IllegalStateException("bulk load of " + table + " took " + loaded + " rows, expected " + rows);
            return rows * 1e9 / nanos;
        }
    }
}
