package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.jdbc.JdbcConfig.JdbcWriteMode;
import io.kwsync.sink.jdbc.dialect.SqlDialect;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One stream routed to 1,000 small tables through a sink whose schema cache holds 50: every row lands in its table
 * once, batches touching far more tables than the cache holds are written whole, a table that fell out of the cache
 * is written again after a fresh metadata read, and the cache never holds more than its size.
 */
class ManyTablesTest {

    static final int TABLES = 1000;
    static final int CACHE = 50;

    private final List<String> created = new ArrayList<>();
    private String url;
    private JdbcRowSink sink;

    @AfterEach
    void dropTables() {
        if (sink != null) sink.close();
        for (int i = 0; i < created.size(); i += 100) {
            TestDatabases.execute(url, "DROP TABLE IF EXISTS " + String.join(", ", created.subList(i, Math.min(created.size(), i + 100))));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mariadb", "postgresql"})
    void aThousandTablesWithABoundedSchemaCache(String db) throws Exception {
        url = db.equals("mariadb") ? TestDatabases.mariadbUrl() : TestDatabases.postgresUrl();
        SqlDialect dialect = SqlDialect.forUrl(url);
        String connector = TestKafka.unique("many-tables");
        String prefix = connector.replace('-', '_') + "_t";
        AgroalDataSource ds = JdbcDataSources.open(url, TestDatabases.user(), TestDatabases.password(), 2, dialect);
        sink = new JdbcRowSink(ds, dialect, new JdbcRowSink.Options(connector, "kwsync_offsets", JdbcWriteMode.INSERT,
                ZoneId.of("UTC"), true, false, true, 200, CACHE), Clock.systemUTC());
        sink.prepare();
        for (int t = 0; t < TABLES; t++) created.add(prefix + t);

        // two rows per table, tables interleaved on 4 source partitions, 500 rows (250 tables) per batch
        List<RowEvent> rows = new ArrayList<>();
        long[] offsets = new long[4];
        for (int round = 0; round < 2; round++) {
            for (int t = 0; t < TABLES; t++) {
                int p = t % 4;
                rows.add(new RowEvent(new Origin("src", p, offsets[p]++, 1L, null, List.of()), Destination.table(prefix + t),
                        Map.of("id", (long) (round * TABLES + t), "v", "r" + round)));
            }
        }
        for (int i = 0; i < rows.size(); i += 500) {
            List<Rejected> rejected = new ArrayList<>();
            WriteResult r = sink.write(rows.subList(i, i + 500), rejected::addAll);
            assertEquals(500, r.written(), "batch at " + i);
            assertTrue(rejected.isEmpty(), () -> rejected.get(0).reason().getMessage());
            assertTrue(sink.cachedSchemas() <= CACHE, "cache holds " + sink.cachedSchemas());
        }
        assertEquals(CACHE, sink.cachedSchemas());

        // table 0 fell out of the cache long ago: its next row is written after a fresh read
        WriteResult again = sink.write(List.of(new RowEvent(new Origin("src", 0, offsets[0]++, 1L, null, List.of()),
                Destination.table(prefix + 0), Map.of("id", 9999L, "v", "late"))), x -> { });
        assertEquals(1, again.written());

        // a replay of everything writes nothing: progress is per source partition, whatever the table
        assertEquals(0, sink.write(rows.subList(0, 500), x -> { }).written());

        for (int t = 0; t < TABLES; t++) {
            List<Map<String, Object>> got = TestDatabases.query(url, "SELECT id, v FROM " + prefix + t + " ORDER BY id");
            List<Long> ids = got.stream().map(m -> ((Number) m.get("id")).longValue()).toList();
            List<Long> expected = t == 0 ? List.of(0L, (long) TABLES, 9999L) : List.of((long) t, (long) (TABLES + t));
            assertEquals(expected, ids, "table " + t);
        }
    }
}
