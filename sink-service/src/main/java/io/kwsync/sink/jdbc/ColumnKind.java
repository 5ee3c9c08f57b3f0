package io.kwsync.sink.jdbc;

import java.sql.Types;
import java.util.Locale;

/** How values are coerced for a column, decided once from its JDBC type and type name. */
enum ColumnKind {
    BOOLEAN, INTEGER, DECIMAL, REAL, DOUBLE, DATE, TIME, TIMESTAMP, TIMESTAMP_TZ, TEXT, JSON, BINARY,
    /** Types the sink does not know (uuid, inet, enums, arrays, intervals): text, parsed by the database. */
    OTHER;

    /** The generic rule; a dialect may decide differently for its own types ({@link SqlDialect#kind}). */
    static ColumnKind of(TableSchema.Column c) {
        String type = c.typeName() == null ? "" : c.typeName().toLowerCase(Locale.ROOT);
        if (type.equals("json") || type.equals("jsonb")) return JSON;
        if (type.equals("year")) return INTEGER;
        if (type.equals("timestamptz")) return TIMESTAMP_TZ;
        return switch (c.jdbcType()) {
            case Types.BOOLEAN -> BOOLEAN;
            case Types.BIT -> c.size() > 1 ? INTEGER : BOOLEAN; // BOOLEAN and BIT(1); MySQL's BIT(n) holds a number
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
            case Types.DECIMAL, Types.NUMERIC -> DECIMAL;
            case Types.REAL -> REAL;
            case Types.FLOAT, Types.DOUBLE -> DOUBLE;
            case Types.DATE -> DATE;
            case Types.TIME -> TIME;
            case Types.TIMESTAMP -> TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> TEXT;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
            default -> OTHER;
        };
    }
}
