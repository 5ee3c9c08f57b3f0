package io.kwsync.sink.jdbc.dialect;

import io.kwsync.sink.jdbc.schema.TableSchema;

import java.sql.Types;
import java.util.Locale;

/**
 * The MySQL protocol's column types as Connector/J describes them (MariaDB 10.11, MySQL 8): what their type names add
 * to the JDBC type. UNSIGNED doubles an integer's range, MEDIUMINT is reported as INTEGER, YEAR as DATE, BIT(n) holds
 * an n-bit number, ENUM and SET are reported as CHAR of their longest member, and TINYTEXT..LONGTEXT (LONGVARCHAR) are
 * limited in bytes, not characters.
 */
final class MySqlTypes {

    private MySqlTypes() {
    }

    static ColumnKind kind(TableSchema.Column c) {
        String type = typeName(c);
        if (type.equals("YEAR")) return ColumnKind.INTEGER;
        if (c.jdbcType() == Types.BIT && c.size() > 1) return ColumnKind.INTEGER; // BIT(1) is a boolean
        return ColumnKind.of(c);
    }

    static ColumnRules rules(TableSchema.Column c, ColumnKind kind) {
        ColumnRules rules = ColumnRules.standard(c, kind);
        String type = typeName(c);
        if (kind == ColumnKind.INTEGER) rules = integerRange(rules, c, type, type.contains("UNSIGNED"));
        if (kind == ColumnKind.TEXT && (type.startsWith("ENUM") || type.startsWith("SET"))) {
            rules = rules.withMaxChars(ColumnRules.UNLIMITED); // the database checks the members
        }
        if (kind == ColumnKind.TEXT && c.jdbcType() == Types.LONGVARCHAR && ColumnRules.limited(c)) {
            rules = rules.withMaxBytes(c.size());
        }
        return rules;
    }

    private static ColumnRules integerRange(ColumnRules rules, TableSchema.Column c, String type, boolean unsigned) {
        if (type.equals("YEAR")) return rules.withRange(0, 2155, false);
        return switch (c.jdbcType()) {
            case Types.TINYINT -> unsigned ? rules.withRange(0, 255, false) : rules;
            case Types.SMALLINT -> unsigned ? rules.withRange(0, 65_535, false) : rules;
            case Types.INTEGER -> type.startsWith("MEDIUMINT")
                    ? unsigned ? rules.withRange(0, (1 << 24) - 1, false) : rules.withRange(-(1 << 23), (1 << 23) - 1, false)
                    : unsigned ? rules.withRange(0, (1L << 32) - 1, false) : rules;
            case Types.BIT -> c.size() >= 64 ? rules.withRange(0, Long.MAX_VALUE, true)
                    : rules.withRange(0, (1L << Math.max(1, c.size())) - 1, false);
            default -> unsigned ? rules.withRange(0, Long.MAX_VALUE, true) : rules;
        };
    }

    private static String typeName(TableSchema.Column c) {
        return c.typeName() == null ? "" : c.typeName().toUpperCase(Locale.ROOT);
    }
}
