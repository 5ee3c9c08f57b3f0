package io.kwsync.sink.jdbc.dialect;

import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The database's own bulk-load path (MySQL {@code LOAD DATA LOCAL INFILE}, PostgreSQL {@code COPY FROM STDIN}) for
 * plain inserts: rows are sent as {@link BulkText} instead of bound parameters, which costs the sink and the database
 * a fraction of a multi-row INSERT. It must give exactly what the INSERT would: the same values in the same columns,
 * and a refusal whenever the INSERT would refuse a row. So a loader only takes the columns and values whose text form
 * it can vouch for; the writer sends everything else, and any load that does not come back clean, through
 * statements. A dialect without one writes every row with statements.
 */
public interface BulkLoader {

    /** An empty text in this database's format. */
    BulkText newText();

    /** Whether every value this column can take has a text form here. */
    boolean accepts(ColumnRules column);

    /**
     * Appends one value, coerced for a column of this kind; false when this value has no safe text form (the rows then
     * go as statements).
     */
    boolean append(BulkText out, ColumnKind kind, Object value);

    /**
     * Loads the text into these columns of the table, inside the caller's transaction. @return the rows the database
     * took without complaint, or -1 when it reported a problem it did not refuse outright (MySQL turns errors into
     * warnings for LOCAL loads); either way the caller rolls back to its savepoint unless all rows were taken.
     */
    long load(Connection c, TableName table, List<TableSchema.Column> columns, BulkText data) throws SQLException;

    /** The text of numbers, shared by the loaders: plain digits, never exponents for decimals. */
    static boolean appendNumber(BulkText out, Object value) {
        if (value instanceof Long l) {
            out.integer(l);
        } else if (value instanceof BigDecimal d) {
            // a decimal of up to 18 digits (nearly every column) is written straight from its digits
            if (d.scale() >= 0 && d.precision() <= 18) out.decimal(d.unscaledValue().longValue(), d.scale());
            else out.ascii(d.toPlainString());
        } else if (value instanceof Double d) {
            if (!Double.isFinite(d)) return false;
            out.ascii(Double.toString(d));
        } else {
            return false;
        }
        return true;
    }
}
