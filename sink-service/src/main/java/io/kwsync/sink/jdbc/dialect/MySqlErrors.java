package io.kwsync.sink.jdbc.dialect;

import java.sql.SQLException;
import java.util.Set;

/** The MySQL protocol's error codes (MySQL, MariaDB, AnalyticDB for MySQL) on top of the SQLSTATE classes. */
final class MySqlErrors implements SqlErrors {

    /** Values a column refuses; several report SQLSTATE HY000, so the class is not enough. */
    private static final Set<Integer> DATA_ERRORS = Set.of(
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

    /** Errors no retry fixes: SQL the server cannot parse, access denied to a table or column. */
    private static final Set<Integer> FATAL = Set.of(1064, 1142, 1143);

    @Override
    public boolean isDataError(SQLException e) {
        return SqlErrors.super.isDataError(e) || DATA_ERRORS.contains(e.getErrorCode());
    }

    @Override
    public boolean isSchemaChange(SQLException e) {
        return "42S02".equals(e.getSQLState()) || "42S22".equals(e.getSQLState()) // unknown table, unknown column
                || e.getErrorCode() == 1054 || e.getErrorCode() == 1146;
    }

    @Override
    public boolean isTransient(SQLException e) {
        return SqlErrors.super.isTransient(e) || e.getErrorCode() == 1205 || e.getErrorCode() == 1213; // lock wait, deadlock
    }

    @Override
    public boolean isFatal(SQLException e) {
        if (isTransient(e) || e.getSQLState() == null) return false;
        return isLoginRefused(e) || FATAL.contains(e.getErrorCode());
    }

    @Override
    public boolean isUnknownDatabase(SQLException e) {
        return e.getErrorCode() == 1049;
    }

    @Override
    public boolean isDuplicateColumn(SQLException e) {
        return e.getErrorCode() == 1060;
    }
}
