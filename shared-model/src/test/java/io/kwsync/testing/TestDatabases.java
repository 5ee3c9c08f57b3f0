package io.kwsync.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;

/**
 * Test access to the real MariaDB and PostgreSQL servers started by dev/up.sh, with the same defaults as
 * dev/env.sh (override with the KWSYNC_DEV_* variables).
 */
public final class TestDatabases {

    private TestDatabases() {
    }

    private static String env(String name, String def) {
        return System.getenv().getOrDefault(name, def);
    }

    public static String user() {
        return env("KWSYNC_DEV_DB_USER", "kwsync");
    }

    public static String password() {
        return env("KWSYNC_DEV_DB_PASSWORD", "kwsync-dev-password");
    }

    public static String mariadbUrl() {
        return env("KWSYNC_DEV_MARIADB_URL", "jdbc:mysql://127.0.0.1:3306/kwsync");
    }

    public static String postgresUrl() {
        return env("KWSYNC_DEV_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/kwsync");
    }

    public static Connection connect(String url) {
        try {
            return DriverManager.getConnection(url, user(), password());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to " + url + " (is dev/up.sh running?)", e);
        }
    }

    public static void execute(String url, String... sql) {
        try (Connection c = connect(url); Statement st = c.createStatement()) {
            for (String s : sql) st.execute(s);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a query and returns every row as column label -> value, in order. */
    public static List<Map<String, Object>> query(String url, String sql) {
        try (Connection c = connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String url, String table) {
        return ((Number) query(url, "SELECT COUNT(*) AS n FROM " + table).get(0).get("n")).longValue();
    }
}
