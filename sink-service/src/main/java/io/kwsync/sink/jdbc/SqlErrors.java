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

    private SqlErrors() {
    }

    static boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return (state != null && (state.startsWith("22") || state.startsWith("23")))
                || MYSQL_DATA_ERRORS.contains(e.getErrorCode());
    }

    /** Unknown table or column: the schema we cached is stale. */
    static boolean isSchemaChange(SQLException e) {
        String state = e.getSQLState();
        return "42S02".equals(state) || "42S22".equals(state) || "42P01".equals(state) || "42703".equals(state)
                || e.getErrorCode() == 1054 || e.getErrorCode() == 1146;
    }

    /** Permissions and authentication: retrying cannot help. */
    static boolean isFatal(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) return false;
        String state = e.getSQLState();
        return state != null && (state.startsWith("28") || "42000".equals(state) && e.getErrorCode() == 1142
                || "42501".equals(state));
    }
}
