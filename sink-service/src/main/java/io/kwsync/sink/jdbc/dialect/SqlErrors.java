package io.kwsync.sink.jdbc.dialect;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Sorts SQL failures: a row's data, a changed schema, a lost connection, or a fault no retry can fix. The defaults
 * follow the SQLSTATE classes every database reports; each dialect adds its own codes ({@link SqlDialect#errors}),
 * since several vendor errors carry a generic SQLSTATE (MySQL reports many as HY000).
 */
public interface SqlErrors {

    /** Something about the values of a row: SQLSTATE classes 22 (data exception) and 23 (integrity constraint). */
    default boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /** Unknown table or column: the schema the sink read is stale. */
    boolean isSchemaChange(SQLException e);

    /** A lost connection, a deadlock or a lock timeout: the same statement may well succeed next time. */
    default boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) return true;
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("40"));
    }

    /**
     * Authentication, permissions, and SQL the database cannot run as sent (a type it will not convert, a syntax it
     * does not know): retrying cannot help, and sending every row to the error topic would hide the fault.
     */
    default boolean isFatal(SQLException e) {
        return !isTransient(e) && isLoginRefused(e);
    }

    /** The database refused the user or password (SQLSTATE class 28). */
    default boolean isLoginRefused(SQLException e) {
        return e.getSQLState() != null && e.getSQLState().startsWith("28");
    }

    /** The database the URL names does not exist. */
    boolean isUnknownDatabase(SQLException e);

    /** Adding a column failed because it exists already (another replica added it first). */
    boolean isDuplicateColumn(SQLException e);
}
