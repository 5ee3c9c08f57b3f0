package io.kwsync.sink.jdbc.dialect;

import java.sql.SQLException;
import java.util.Set;

/** PostgreSQL's SQLSTATEs (PostgreSQL, AnalyticDB for PostgreSQL) beyond the standard classes. */
final class PostgresErrors implements SqlErrors {

    /**
     * No retry fixes these: insufficient privilege, a syntax error, a datatype mismatch, an undefined function, an
     * indeterminate datatype (the last three: SQL the server cannot run as the sink sent it).
     */
    private static final Set<String> FATAL = Set.of("42501", "42601", "42804", "42883", "42P18");

    /** Besides classes 22 and 23: 21000, an upsert touching one row twice. */
    @Override
    public boolean isDataError(SQLException e) {
        return SqlErrors.super.isDataError(e) || "21000".equals(e.getSQLState());
    }

    @Override
    public boolean isSchemaChange(SQLException e) {
        return "42P01".equals(e.getSQLState()) || "42703".equals(e.getSQLState()); // undefined table, undefined column
    }

    /** Besides classes 08 and 40: 57P, the server shutting down or restarting. */
    @Override
    public boolean isTransient(SQLException e) {
        return SqlErrors.super.isTransient(e) || e.getSQLState() != null && e.getSQLState().startsWith("57P");
    }

    @Override
    public boolean isFatal(SQLException e) {
        if (isTransient(e) || e.getSQLState() == null) return false;
        return isLoginRefused(e) || FATAL.contains(e.getSQLState());
    }

    @Override
    public boolean isUnknownDatabase(SQLException e) {
        return "3D000".equals(e.getSQLState());
    }

    @Override
    public boolean isDuplicateColumn(SQLException e) {
        return "42701".equals(e.getSQLState());
    }
}
