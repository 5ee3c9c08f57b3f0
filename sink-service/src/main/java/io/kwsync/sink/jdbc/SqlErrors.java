package io.kwsync.sink.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/** Sorts SQL failures: a row's data, a changed schema, a lost connection, or a fault no retry can fix. */
final class SqlErrors {

    /** MySQL error codes for values a column refuses (several report SQLSTATE HY000, so the class is not enough). */
    private static final Set<Integer> MYSQL_DATA_ERRORS = Set.of(
            1048, // column cannot be null
            1062, // duplicate entry
            1264, // out of range
            1265, // data truncated
            1292, // incorrect date/time value
            1364, // field has no default value
            1366, // incorrect value for column
            1406, // data too long
            1416, // cannot get geometry object
            3140, // invalid JSON text
            4025  // CHECK constraint failed (MariaDB)
    );

    /** MySQL errors no retry fixes: access denied to a table or column, SQL the server cannot parse. */
    private static final Set<Integer> MYSQL_FATAL = Set.of(1064, 1142, 1143);

    private SqlErrors() {
    }

    /**
     * Something about the values of a row: SQLSTATE classes 22 (data exception) and 23 (integrity constraint), the
     * MySQL codes above, and PostgreSQL's 21000 (an upsert touching one row twice).
     */
    static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return (state != null && (state.startsWith("22") || state.startsWith("23") || state.equals("21000")))
                || MYSQL_DATA_ERRORS.contains(e.getErrorCode());
    }

    /** Unknown table or column: the schema we cached is stale. */
    static boolean isSchemaChange(SQLException e) {
        String state = e.getSQLState();
        return "42S02".equals(state) || "42S22".equals(state) || "42P01".equals(state) || "42703".equals(state)
                || e.getErrorCode() == 1054 || e.getErrorCode() == 1146;
    }

    /** A lost connection, a deadlock or a lock timeout: the same statement may well succeed next time. */
    static boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) return true;
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("57P"))
                || e.getErrorCode() == 1205 || e.getErrorCode() == 1213;
    }

    /**
     * Authentication, permissions, and SQL the database cannot run as sent (a type it will not convert, a syntax
     * it does not know): retrying cannot help, and sending every row to the error topic would hide the fault.
     */
    static boolean isFatal(SQLException e) {
        if (isTransient(e)) return false;
        String state = e.getSQLState();
        if (state == null) return false;
        return state.startsWith("28") || "42501".equals(state) || "42601".equals(state) || "42804".equals(state)
                || "42883".equals(state) || "42P18".equals(state) || MYSQL_FATAL.contains(e.getErrorCode());
    }
}
