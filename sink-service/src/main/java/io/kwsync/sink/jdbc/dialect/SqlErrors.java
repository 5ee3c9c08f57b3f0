package io.kwsync.sink.jdbc.dialect;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Sorts SQL failures: about one row (its values or its size), a changed schema, a lost connection or a server short
 * of resources, or a fault no retry can fix. The defaults follow the SQLSTATE classes every database reports; each
 * dialect adds its own codes ({@link SqlDialect#errors}), since several vendor errors carry a generic SQLSTATE (MySQL
 * reports many as HY000).
 *
 * <p>What the writer does with each: a refusal of a row ({@link #refusesRow}) sends that row alone to the error topic
 * (the batch is redone row by row to find it); a schema change and a transient fault retry the batch; a fatal fault
 * stops the sink. Only faults that are not about a row may hold up the stream.
 */
public interface SqlErrors {

    /** Something about the values of a row: SQLSTATE classes 22 (data exception) and 23 (integrity constraint). */
    default boolean isDataError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.startsWith("23"));
    }

    /**
     * The row is larger than the database takes in one row or one statement (PostgreSQL's row and index-entry size
     * limits, MySQL's max_allowed_packet): it alone is refused, whatever the other rows of its batch.
     */
    default boolean isRowTooLarge(SQLException e) {
        return false;
    }

    /** A refusal of one row: its values ({@link #isDataError}) or its size ({@link #isRowTooLarge}). */
    default boolean refusesRow(SQLException e) {
        return isDataError(e) || isRowTooLarge(e);
    }

    /**
     * The database refused the bulk-load mechanism for this table as such (COPY into a view, LOAD DATA LOCAL switched
     * off on the server), not the rows sent: statements are the only way into that table.
     */
    default boolean refusesBulkLoad(SQLException e) {
        return false;
    }

    /** Unknown table or column: the schema the sink read is stale. */
    boolean isSchemaChange(SQLException e);

    /**
     * A lost connection, a deadlock, a lock timeout, or a server short of resources (SQLSTATE class 53: disk full, out
     * of memory, too many connections): the same statement may well succeed next time, and the rows are not to blame.
     */
    default boolean isTransient(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) return true;
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.startsWith("40") || state.startsWith("53"));
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
