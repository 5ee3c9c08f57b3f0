package io.kwsync.sink.jdbc.dialect;

import com.mysql.cj.conf.PropertyKey;
import com.mysql.cj.conf.RuntimeProperty;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.JdbcStatement;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * {@code LOAD DATA LOCAL INFILE} from memory. The driver sends a local file only while one of our loads runs: the
 * connection is opened with {@code allowLoadLocalInfileInPath} set to a directory that does not exist (so the
 * capability is negotiated but a server asking for any file gets none), and {@code allowLoadLocalInfile} is switched
 * on for the duration of the statement, whose input is our stream.
 *
 * <p>A LOCAL load cannot be stopped half-way, so MySQL reports what an INSERT would refuse (a duplicate key, a value
 * too long, a null for NOT NULL) as warnings and carries on: any warning, or fewer rows than sent, makes the load
 * unclean and the caller redoes the rows as statements. Notes (a decimal rounded) are what an INSERT gives too.
 */
final class MySqlBulkLoader implements BulkLoader {

    /** Never created: the only path the driver may read local files from when a server asks unprompted. */
    static final String NO_LOCAL_FILES = "/nonexistent/kwsync-sends-no-local-files";

    private static final Logger LOG = Logger.getLogger(MySqlBulkLoader.class);
    /** SHOW WARNINGS lists at most max_error_count (64 by default) entries: that many notes may hide a warning. */
    private static final int LISTED_WARNINGS = 64;

    private final MySqlDialect dialect;

    MySqlBulkLoader(MySqlDialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public BulkText newText() {
        return new BulkText(true);
    }

    @Override
    public boolean accepts(ColumnRules column) {
        String type = column.column().typeName() == null ? "" : column.column().typeName().toUpperCase(Locale.ROOT);
        return switch (column.kind()) {
            // BIT columns read LOAD DATA text as the bits of its characters; TINYINT(1) reads "1" as 1
            case BOOLEAN, INTEGER -> !type.startsWith("BIT");
            case DECIMAL, REAL, DOUBLE, TEXT, JSON, DATE, TIME, TIMESTAMP -> true;
            case TIMESTAMP_TZ, BINARY, OTHER -> false;
        };
    }

    @Override
    public boolean append(BulkText out, ColumnKind kind, Object value) {
        if (value == null) {
            out.nullField();
            return true;
        }
        return switch (kind) {
            case BOOLEAN -> {
                out.ascii((Boolean) value ? "1" : "0");
                yield true;
            }
            case INTEGER, DECIMAL, REAL, DOUBLE -> BulkLoader.appendNumber(out, value);
            case TEXT, JSON -> {
                out.text((String) value);
                yield true;
            }
            case DATE, TIME, TIMESTAMP -> {
                out.ascii(TemporalText.of(value)); // what the INSERT binds (this dialect binds temporal values as text)
                yield true;
            }
            default -> false;
        };
    }

    @Override
    public long load(Connection c, TableName table, List<TableSchema.Column> columns, BulkText data) throws SQLException {
        String sql = "LOAD DATA LOCAL INFILE 'kwsync-rows' INTO TABLE " + dialect.quote(table)
                + " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' "
                + dialect.columnList(columns);
        RuntimeProperty<Boolean> allow = c.unwrap(JdbcConnection.class).getPropertySet()
                .getBooleanProperty(PropertyKey.allowLoadLocalInfile);
        boolean allowed = allow.getValue();
        long loaded;
        try (Statement st = c.createStatement()) {
            st.unwrap(JdbcStatement.class).setLocalInfileInputStream(data.stream());
            allow.setValue(true);
            try {
                loaded = st.executeLargeUpdate(sql);
            } finally {
                allow.setValue(allowed);
            }
            if (loaded != data.rows()) {
                LOG.debugf("LOAD DATA took %d of %d rows", loaded, data.rows());
                return loaded;
            }
            try (ResultSet w = st.executeQuery("SHOW WARNINGS")) {
                int listed = 0;
                while (w.next()) {
                    if (!"Note".equalsIgnoreCase(w.getString(1)) || ++listed >= LISTED_WARNINGS) {
                        LOG.debugf("LOAD DATA into %s reported %s %d: %s", table, w.getString(1), w.getInt(2), w.getString(3));
                        return -1;
                    }
                }
            }
        }
        return loaded;
    }
}
