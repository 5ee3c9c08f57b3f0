package io.kwsync.ingest.tables;

import io.kwsync.ingest.config.WriterSource;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The rows of one run from a MySQL-protocol (MySQL, MariaDB, AnalyticDB for MySQL) or PostgreSQL-protocol
 * (PostgreSQL, AnalyticDB for PostgreSQL) database: one read-only connection, the statement streamed (MySQL row by
 * row, PostgreSQL through a cursor of fetch-size rows), so a run never holds the table. Every wait on the network is
 * bounded: connecting by 10 s, each read by the run's time limit.
 */
final class JdbcRows implements RowSource {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Connection connection;
    private final Statement statement;
    private final ResultSet rows;
    private final List<String> columns;
    private final int[] types;
    private final String[] typeNames;

    private JdbcRows(Connection connection, Statement statement, ResultSet rows) throws SQLException {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        ResultSetMetaData md = rows.getMetaData();
        int n = md.getColumnCount();
        List<String> names = new ArrayList<>(n);
        types = new int[n];
        typeNames = new String[n];
        for (int i = 0; i < n; i++) {
            names.add(md.getColumnLabel(i + 1));
            types[i] = md.getColumnType(i + 1);
            typeNames[i] = md.getColumnTypeName(i + 1);
        }
        columns = List.copyOf(names);
    }

    /**
     * @param readTimeout the longest one read may wait for the database (the run's time limit)
     * @throws SourceException when the database cannot be reached or refuses the statement
     */
    static JdbcRows open(WriterSource.Jdbc jdbc, String sql, int fetchSize, Duration readTimeout) {
        boolean mysql = jdbc.url().startsWith("jdbc:mysql:");
        Properties p = new Properties();
        if (jdbc.user() != null) p.setProperty("user", jdbc.user());
        if (jdbc.password() != null) p.setProperty("password", jdbc.password());
        if (mysql) {
            p.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toMillis()));
            p.setProperty("socketTimeout", Long.toString(readTimeout.toMillis()));
            // a TINYINT(1) and a YEAR are numbers, not a boolean and a date
            p.setProperty("tinyInt1isBit", "false");
            p.setProperty("yearIsDateType", "false");
        } else {
            p.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
            p.setProperty("loginTimeout", Long.toString(CONNECT_TIMEOUT.toSeconds()));
            p.setProperty("socketTimeout", Long.toString(Math.max(1, readTimeout.toSeconds())));
            p.setProperty("ApplicationName", "kwsync-writer");
        }
        Connection c = null;
        try {
            Driver driver = mysql ? new com.mysql.cj.jdbc.Driver() : new org.postgresql.Driver();
            c = driver.connect(jdbc.url(), p);
            if (c == null) throw new SourceException("no driver accepts " + jdbc.url(), false, null);
            c.setReadOnly(true);
            Statement st;
            if (mysql) {
                st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                st.setFetchSize(Integer.MIN_VALUE); // Connector/J streams row by row
            } else {
                c.setAutoCommit(false); // PostgreSQL keeps a cursor only inside a transaction
                st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                st.setFetchSize(fetchSize);
            }
            return new JdbcRows(c, st, st.executeQuery(sql));
        } catch (SQLException e) {
            closeQuietly(c);
            throw failure("cannot run the source query", e);
        }
    }

    @Override
    public List<String> columns() {
        return columns;
    }

    @Override
    public Object[] next() {
        try {
            if (!rows.next()) return null;
            Object[] row = new Object[types.length];
            for (int i = 0; i < row.length; i++) row[i] = JdbcValues.read(rows, i + 1, types[i], typeNames[i]);
            return row;
        } catch (SQLException e) {
            throw failure("cannot read the source rows", e);
        }
    }

    /** A statement the database refuses (syntax, missing table or column, permission) fails for good. */
    static SourceException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean fatal = state.startsWith("42") || state.startsWith("28") || state.startsWith("22")
                || e instanceof java.sql.SQLSyntaxErrorException || e instanceof java.sql.SQLInvalidAuthorizationSpecException;
        return new SourceException(what + ": " + e.getMessage() + (state.isEmpty() ? "" : " (SQLState " + state + ")"), !fatal, e);
    }

    @Override
    public void close() {
        try {
            rows.close();
            statement.close();
        } catch (SQLException ignored) {
            // a stream closed early may refuse; the connection's close ends it either way
        }
        closeQuietly(connection);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to release
        }
    }
}
