package io.kwsync.sink.jdbc.dialect;

import com.mysql.cj.jdbc.exceptions.PacketTooBigException;

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
            1644, // a trigger refused the row (SIGNAL with a user-defined SQLSTATE)
            3140, // invalid JSON text
            4025  // CHECK constraint failed (MariaDB)
    );

    /** Rows too large for the server: row size over the storage engine's limit (1118). */
    private static final Set<Integer> ROW_TOO_LARGE = Set.of(1118);

    /**
     * LOAD DATA LOCAL refused as such: not allowed with this server (1148), local data loading disabled (3948), or the
     * client's file request refused (2068).
     */
    private static final Set<Integer> BULK_LOAD_REFUSED = Set.of(1148, 2068, 3948);

    /** Server faults that are no row's fault: disk full (1021), out of memory (1037, 1038, 1041), too many connections (1040). */
    private static final Set<Integer> RESOURCES = Set.of(1021, 1037, 1038, 1040, 1041);

    /** Errors no retry fixes: SQL the server cannot parse, access denied to a table or column. */
    private static final Set<Integer> FATAL = Set.of(1064, 1142, 1143);

    @Override
    public boolean isDataError(SQLException e) {
        return SqlErrors.super.isDataError(e) || DATA_ERRORS.contains(e.getErrorCode());
    }

    /**
     * Also a statement the driver will not send because it exceeds the server's max_allowed_packet: the driver checks
     * before sending, so the connection stays usable and the row alone can be refused.
     */
    @Override
    public boolean isRowTooLarge(SQLException e) {
        return e instanceof PacketTooBigException || ROW_TOO_LARGE.contains(e.getErrorCode());
    }

    @Override
    public boolean refusesBulkLoad(SQLException e) {
        return BULK_LOAD_REFUSED.contains(e.getErrorCode());
    }

    @Override
    public boolean isSchemaChange(SQLException e) {
        return "42S02".equals(e.getSQLState()) || "42S22".equals(e.getSQLState()) // unknown table, unknown column
                || e.getErrorCode() == 1054 || e.getErrorCode() == 1146;
    }

    @Override
    public boolean isTransient(SQLException e) {
        return SqlErrors.super.isTransient(e) || e.getErrorCode() == 1205 || e.getErrorCode() == 1213 // lock wait, deadlock
                || RESOURCES.contains(e.getErrorCode());
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
