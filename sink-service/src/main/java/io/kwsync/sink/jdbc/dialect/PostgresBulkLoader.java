package io.kwsync.sink.jdbc.dialect;

import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@code COPY ... FROM STDIN} in text format. PostgreSQL parses each field with the column type's own input function,
 * as it parses an untyped bind parameter, so text, JSON and types the sink does not know (uuid, enums, arrays) all
 * go through; a value the column refuses fails the COPY with the same error the INSERT would raise.
 */
final class PostgresBulkLoader implements BulkLoader {

    private final PostgresDialect dialect;

    PostgresBulkLoader(PostgresDialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public BulkText newText() {
        return new BulkText(false);
    }

    @Override
    public boolean accepts(ColumnRules column) {
        return true;
    }

    @Override
    public boolean append(BulkText out, ColumnKind kind, Object value) {
        if (value == null) {
            out.nullField();
            return true;
        }
        if (value instanceof Boolean b) {
            out.ascii(b ? "t" : "f");
        } else if (value instanceof String s) {
            out.text(s);
        } else if (value instanceof byte[] bytes) {
            out.hex(bytes);
        } else if (value instanceof LocalDate d) {
            if (!commonEra(d)) return false;
            out.ascii(d.toString());
        } else if (value instanceof LocalDateTime t) {
            if (!commonEra(t.toLocalDate())) return false;
            out.ascii(TemporalText.of(t));
        } else if (value instanceof LocalTime t) {
            out.ascii(TemporalText.of(t));
        } else if (value instanceof OffsetDateTime t) {
            int offset = t.getOffset().getTotalSeconds();
            if (!commonEra(t.toLocalDate()) || offset % 60 != 0) return false;
            out.ascii(TemporalText.of(t.toLocalDateTime()) + (offset == 0 ? "+00:00" : t.getOffset().getId()));
        } else {
            return BulkLoader.appendNumber(out, value);
        }
        return true;
    }

    /** Years 1 to 9999 print as PostgreSQL reads them; others (BC, five digits) are left to bound parameters. */
    private static boolean commonEra(LocalDate d) {
        return d.getYear() >= 1 && d.getYear() <= 9999;
    }

    @Override
    public long load(Connection c, TableName table, List<TableSchema.Column> columns, BulkText data) throws SQLException {
        String sql = "COPY " + dialect.quote(table) + " " + dialect.columnList(columns) + " FROM STDIN";
        try {
            return c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, data.stream());
        } catch (IOException e) {
            throw new SQLException("COPY input failed: " + e.getMessage(), "08000", e); // cannot happen: the input is in memory
        }
    }
}
