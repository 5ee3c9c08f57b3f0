package io.kwsync.ingest.tables;

import io.kwsync.ingest.config.WriterSource;
import io.kwsync.ingest.schedule.Template;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Source rows from the real MariaDB and PostgreSQL: the values each column type gives, streaming, refusals. */
class JdbcSourceTest {

    static WriterSource table(String url, String table, String where) {
        return new WriterSource(WriterSource.Kind.JDBC, new WriterSource.Jdbc(url, TestDatabases.user(), TestDatabases.password()),
                null, null, table, List.of(), where == null ? null : Template.parse(where), null, 100);
    }

    static List<Object[]> readAll(WriterSource s, Map<String, String> values) {
        List<Object[]> out = new ArrayList<>();
        try (RowSource rows = TableSources.open(s, SourceRead.resolve(s, values), Duration.ofMinutes(1))) {
            Object[] r;
            while ((r = rows.next()) != null) out.add(r);
        }
        return out;
    }

    @Test
    void mariaDbColumnsGivePlainValues() {
        String url = TestDatabases.mariadbUrl();
        String t = TestKafka.unique("src").replace('-', '_');
        TestDatabases.execute(url, "CREATE TABLE " + t + " (id BIGINT, small TINYINT(1), big BIGINT UNSIGNED, amount DECIMAL(12,2),"
                        + " f FLOAT, d DOUBLE, name VARCHAR(20), seen DATETIME(3), day DATE, y YEAR, bin VARBINARY(4), doc JSON)",
                "INSERT INTO " + t + " VALUES (1, 1, 18446744073709551615, 12.50, 1.1, 2.5, 'é', '2022-11-22 10:05:03.123',"
                        + " '2022-11-22', 2022, x'00ff', '{\"a\": 1}'), (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        List<Object[]> rows = readAll(table(url, t, "id >= ${from} ORDER BY id"), Map.of("from", "1"));
        assertEquals(2, rows.size());
        Object[] r = rows.get(0);
        assertEquals(1L, r[0]);
        assertEquals(1L, r[1], "TINYINT(1) is a number");
        assertEquals(new java.math.BigInteger("18446744073709551615"), r[2]);
        assertEquals(new BigDecimal("12.50"), r[3]);
        assertEquals(1.1f, r[4]);
        assertEquals(2.5, r[5]);
        assertEquals("é", r[6]);
        assertEquals(LocalDateTime.of(2022, 11, 22, 10, 5, 3, 123_000_000), r[7]);
        assertEquals(LocalDate.of(2022, 11, 22), r[8]);
        assertEquals(2022L, r[9], "YEAR is a number");
        assertArrayEquals(new byte[]{0, (byte) 0xff}, (byte[]) r[10]);
        assertTrue(((String) r[11]).contains("\"a\""), String.valueOf(r[11]));
        for (int i = 1; i < rows.get(1).length; i++) assertNull(rows.get(1)[i], "column " + i);
    }

    @Test
    void postgresColumnsGivePlainValuesAndLargeResultsStream() {
        String url = TestDatabases.postgresUrl();
        String t = TestKafka.unique("src").replace('-', '_');
        TestDatabases.execute(url, "CREATE TABLE " + t + " (id BIGINT, ok BOOLEAN, r REAL, at TIMESTAMPTZ, doc JSONB, tags TEXT[], b BYTEA)",
                "INSERT INTO " + t + " VALUES (1, true, 1.5, '2022-11-22 02:05:03+00', '{\"a\": 1}', ARRAY['x','y'], '\\x0102')",
                "INSERT INTO " + t + " SELECT g, NULL, NULL, NULL, NULL, NULL, NULL FROM generate_series(2, 20000) g");
        List<Object[]> rows = readAll(table(url, t, "true ORDER BY id"), Map.of());
        assertEquals(20000, rows.size(), "read through a cursor of 100 rows");
        Object[] r = rows.get(0);
        assertEquals(true, r[1]);
        assertEquals(1.5f, r[2]);
        assertEquals(OffsetDateTime.parse("2022-11-22T02:05:03Z").toInstant(), ((OffsetDateTime) r[3]).toInstant());
        assertEquals("{\"a\": 1}", r[4]);
        assertEquals(List.of("x", "y"), r[5]);
        assertArrayEquals(new byte[]{1, 2}, (byte[]) r[6]);
        assertEquals(20000L, rows.get(19999)[0]);
    }

    @Test
    void aStatementTheDatabaseRefusesFailsForGoodAnUnreachableOneIsRetriable() {
        SourceException refused = assertThrows(SourceException.class, () -> readAll(table(TestDatabases.mariadbUrl(), "no_such_table_x", null), Map.of()));
        assertFalse(refused.retriable(), refused.getMessage());
        assertTrue(refused.getMessage().contains("no_such_table_x"), refused.getMessage());
        SourceException pgRefused = assertThrows(SourceException.class, () -> readAll(table(TestDatabases.postgresUrl(), "no_such_table_x", null), Map.of()));
        assertFalse(pgRefused.retriable(), pgRefused.getMessage());
        int closed = freePort();
        SourceException down = assertThrows(SourceException.class,
                () -> readAll(table("jdbc:mysql://127.0.0.1:" + closed + "/kwsync", "t", null), Map.of()));
        assertTrue(down.retriable(), down.getMessage());
        WriterSource wrongPassword = new WriterSource(WriterSource.Kind.JDBC, new WriterSource.Jdbc(TestDatabases.postgresUrl(),
                TestDatabases.user(), "wrong-password"), null, null, "t", List.of(), null, null, 100);
        SourceException denied = assertThrows(SourceException.class, () -> readAll(wrongPassword, Map.of()));
        assertFalse(denied.retriable(), denied.getMessage());
        assertFalse(denied.getMessage().contains("wrong-password"), "no password in messages");
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
