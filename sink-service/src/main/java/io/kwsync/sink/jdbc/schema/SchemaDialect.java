package io.kwsync.sink.jdbc.schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * What reading a table's schema needs to know about the database it reads from; the SQL dialects implement it. Kept
 * here, apart from the dialects, so that the table model depends on nothing else of the JDBC destination.
 */
public interface SchemaDialect {

    /** The metadata catalog and schema holding the table (the current ones when it is not qualified). */
    String[] metadataScope(Connection c, TableName table) throws SQLException;

    /**
     * Text columns that really hold JSON though the metadata does not say so (MariaDB's JSON is LONGTEXT with a
     * json_valid check); they are read as JSON columns. Empty unless the dialect knows better.
     */
    default Set<String> jsonTextColumns(Connection c, String[] scope, String table) throws SQLException {
        return Set.of();
    }
}
