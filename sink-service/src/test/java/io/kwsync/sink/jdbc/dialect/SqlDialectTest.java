package io.kwsync.sink.jdbc.dialect;

import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SqlDialectTest {

    static final MySqlDialect MYSQL = new MySqlDialect();
    static final PostgresDialect PG = new PostgresDialect();

    static TableSchema.Column col(int index, String name) {
        return new TableSchema.Column(index, name, Types.BIGINT, "BIGINT", 19, 0, false, false);
    }

    @Test
    void dialectFollowsTheUrl() {
        assertInstanceOf(MySqlDialect.class, SqlDialect.forUrl("jdbc:mysql://h:3306/db"));
        assertInstanceOf(PostgresDialect.class, SqlDialect.forUrl("jdbc:postgresql://h:5432/db"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SqlDialect.forUrl("jdbc:oracle:thin:@h;password=x"));
        assertEquals("no SQL dialect for JDBC URL scheme of jdbc:oracle:thin:@h", e.getMessage());
    }

    @Test
    void quotingDoublesTheQuoteCharacterAndQualifiesEachPart() {
        assertEquals("`a``b; DROP TABLE t --`", MYSQL.quote("a`b; DROP TABLE t --"));
        assertEquals("`x\"y`", MYSQL.quote("x\"y"));
        assertEquals("\"a\"\"b; DROP TABLE t --\"", PG.quote("a\"b; DROP TABLE t --"));
        assertEquals("\"x`y\"", PG.quote("x`y"));
        assertEquals("`db`.`t`", MYSQL.quote(TableName.parse("db.t")));
        assertEquals("\"s\".\"T\"", PG.quote(TableName.parse("s.T")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "plain|orders|||",
            "sql text|a; DROP TABLE t --|||",
            "quotes|'x`y\"z''w'|||",
            "empty|''|is empty|is empty",
            "blank|'  '|is blank|is blank",
            "tab inside|'a\tb'|contains a control character|contains a control character",
            "trailing space|'a '|ends with a space|",
            "emoji|a\ud83d\ude00|contains characters beyond U+FFFF|",
            "64 chars|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx||is longer than 63 bytes",
            "65 chars|xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx|is longer than 64 characters|is longer than 63 bytes",
            "32 e-acute (64 bytes)|\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9||is longer than 63 bytes",
    })
    void identifiersAreCheckedForWhatQuotingCannotFix(String what, String id, String mysql, String pg) {
        String text = id.replace("\\t", "\t");
        assertEquals(mysql, MYSQL.identifierProblem(text), what);
        assertEquals(pg, PG.identifierProblem(text), what);
    }

    @Test
    void insertAndUpsertStatements() {
        TableName t = TableName.parse("t");
        List<TableSchema.Column> cols = List.of(col(0, "id"), col(1, "name"), col(2, "n`\"x"));
        List<TableSchema.Column> key = List.of(cols.get(0));
        assertEquals("INSERT INTO `t` (`id`, `name`, `n``\"x`) VALUES (?,?,?),(?,?,?)", MYSQL.insertSql(t, cols, 2, null));
        assertEquals("INSERT INTO `t` (`id`, `name`, `n``\"x`) VALUES (?,?,?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`),"
                + " `n``\"x` = VALUES(`n``\"x`)", MYSQL.insertSql(t, cols, 1, key));
        assertEquals("INSERT INTO \"t\" (\"id\", \"name\", \"n`\"\"x\") VALUES (?,?,?) ON CONFLICT (\"id\") DO UPDATE SET"
                + " \"name\" = EXCLUDED.\"name\", \"n`\"\"x\" = EXCLUDED.\"n`\"\"x\"", PG.insertSql(t, cols, 1, key));
        assertEquals("INSERT INTO `t` (`id`) VALUES (?) ON DUPLICATE KEY UPDATE `id` = `id`", MYSQL.insertSql(t, key, 1, key));
        assertEquals("INSERT INTO \"t\" (\"id\") VALUES (?) ON CONFLICT (\"id\") DO NOTHING", PG.insertSql(t, key, 1, key));
    }

    @Test
    void progressTableStatements() {
        assertEquals("INSERT INTO \"p\" (connector_name, source_topic, source_partition, next_offset) VALUES (?,?,?,0),(?,?,?,0)"
                + " ON CONFLICT DO NOTHING", PG.insertMissingProgress("p", 2));
        assertEquals("INSERT IGNORE INTO `p` (connector_name, source_topic, source_partition, next_offset) VALUES (?,?,?,0)",
                MYSQL.insertMissingProgress("p", 1));
        assertEquals(32_767, PG.maxParameters());
    }

    @Test
    void createAndAlterQuoteEveryName() {
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("id", "BIGINT");
        cols.put("a\"; DROP TABLE x; --", "TEXT");
        assertEquals("CREATE TABLE IF NOT EXISTS \"s\".\"t\" (\"id\" BIGINT, \"a\"\"; DROP TABLE x; --\" TEXT)",
                PG.createTable(TableName.parse("s.t"), cols));
        assertEquals("ALTER TABLE `t` ADD COLUMN `b``c` JSON", MYSQL.addColumn(TableName.parse("t"), "b`c", "JSON"));
        assertNull(MYSQL.columnType(io.kwsync.model.ColumnType.NULL));
        assertEquals("JSONB", PG.columnType(io.kwsync.model.ColumnType.JSON));
    }
}
