package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.tunnel.TableTunnel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static io.kwsync.emulator.maxcompute.Sdk.PROJECT;
import static io.kwsync.emulator.maxcompute.Sdk.pack;
import static io.kwsync.emulator.maxcompute.Sdk.upload;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the standalone process offers: reading back through the SDK, the read command, snapshots, options. */
class StandaloneTest {

    @Test
    void committedRowsAreReadBackThroughTheSdksDownloadSessions() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "b");
            s.writeBlock(0, pack(s, 0, 3, 2));
            s.commit(new Long[]{0L});
            TableReader reader = new TableReader(mc.endpoint(), PROJECT, MaxComputeEmulator.ACCESS_ID, MaxComputeEmulator.ACCESS_KEY);

            Map<String, List<Map<String, Object>>> all = reader.rows("t", null, 100);
            assertEquals(List.of("pt=a", "pt=b"), List.copyOf(all.keySet()));
            assertEquals(List.of(), all.get("pt=a"));
            assertEquals(Map.of("topic", "topic", "partition", 0L, "offset", 2L, "key", "k2", "value", "vv"), all.get("pt=b").get(2));
            assertEquals(2, reader.rows("t", "pt='b'", 2).get("pt=b").size(), "the limit caps the rows read");

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Main.read(Main.Options.parse(List.of("--endpoint", mc.endpoint(), "--project", PROJECT, "--table", "t")),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("partition pt=b: 3 row(s)"), text);
            assertTrue(text.contains("topic=topic | partition=0 | offset=1 | key=k1 | value=vv"), text);
            assertTrue(text.contains("pt=b: 1 upload + 0 upsert + 0 stream session(s), 1 commit(s), 1 file(s)"), text);
        }
    }

    @Test
    void theSqlCommandCreatesAndDropsTablesThroughSqlInstances() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            s.writeBlock(0, pack(s, 0, 2, 2));
            s.commit(new Long[]{0L});
            assertEquals(1, mc.counters(PROJECT, "t").get("pt=a").commits());
            List<String> connect = List.of("--endpoint", mc.endpoint(), "--project", PROJECT);

            Main.sql(Main.Options.parse(concat(connect, "--sql", "DROP TABLE IF EXISTS t", "--sql", "DROP TABLE IF EXISTS never_made",
                    "--sql", "CREATE TABLE t (k STRING) PARTITIONED BY (pt STRING)")));
            assertEquals("t (k STRING) PARTITIONED BY (pt STRING) LIFECYCLE -1", mc.describe(PROJECT, "t"));
            assertEquals(0, mc.rowCount(PROJECT, "t"), "the table created again is empty");
            assertTrue(mc.counters(PROJECT, "t").isEmpty(), "and counts from zero");
            Exception missing = assertThrows(com.aliyun.odps.OdpsException.class,
                    () -> Main.sql(Main.Options.parse(concat(connect, "--sql", "DROP TABLE never_made"))));
            assertTrue(missing.getMessage().contains("Table not found"), missing.getMessage());
        }
    }

    private static List<String> concat(List<String> head, String... tail) {
        List<String> all = new java.util.ArrayList<>(head);
        all.addAll(List.of(tail));
        return all;
    }

    @Test
    void aSnapshotKeepsTablesPartitionsAndTypedRows(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("snapshot.json");
        String ddl = "CREATE TABLE typed (s STRING, n BIGINT, i INT, d DOUBLE, b BOOLEAN, m DECIMAL(10,2), raw BINARY,"
                + " day DATE, PRIMARY KEY (s)) PARTITIONED BY (pt STRING, h STRING) TBLPROPERTIES ('transactional'='true') LIFECYCLE 7";
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            mc.execute(PROJECT, ddl);
            mc.execute(PROJECT, "ALTER TABLE typed ADD PARTITION (pt='x', h='01')");
            TableTunnel.UploadSession s = upload(Sdk.tunnel(mc), "a");
            s.writeBlock(0, pack(s, 0, 2, 4));
            s.commit(new Long[]{0L});
            EmulatedTable typed = new EmulatedTable(PROJECT, "typed", ((EmulatorSql.CreateTable) EmulatorSql.parse(PROJECT, ddl)).schema(),
                    List.of("s"), true, 7);
            Map<String, Object> row = new java.util.LinkedHashMap<>(Map.of("s", "x", "n", 5L, "i", 7, "d", 1.5, "b", true,
                    "m", new BigDecimal("12.30"), "day", LocalDate.of(2026, 1, 2)));
            row.put("raw", new byte[]{1, 2, 3});
            mc.save(file);
            try (MaxComputeEmulator again = MaxComputeEmulator.start().load(file)) {
                assertEquals(mc.describe(PROJECT, "t"), again.describe(PROJECT, "t"));
                assertEquals(mc.describe(PROJECT, "typed"), again.describe(PROJECT, "typed"));
                assertEquals(mc.allRows(PROJECT, "t"), again.allRows(PROJECT, "t"));
                assertEquals(List.of("pt=x,h=01"), again.partitions(PROJECT, "typed"));
            }
            try (MaxComputeEmulator withRow = MaxComputeEmulator.start().createProject(PROJECT)) {
                withRow.execute(PROJECT, ddl);
                withRow.execute(PROJECT, "ALTER TABLE typed ADD PARTITION (pt='x', h='01')");
                Path one = dir.resolve("one.json");
                java.nio.file.Files.writeString(one, """
                        {"projects": [{"name": "p2", "tables": [{"ddl": "%s", "partitions": {"pt=x,h=01": [
                          {"s": "x", "n": 5, "i": 7, "d": 1.5, "b": true, "m": "12.30", "raw": "AQID", "day": "2026-01-02"}]}}]}]}
                        """.formatted(typed.ddl().replace("`p1`", "`p2`")));
                withRow.load(one);
                Path two = dir.resolve("two.json");
                withRow.save(two);
                try (MaxComputeEmulator third = MaxComputeEmulator.start().load(two)) {
                    for (MaxComputeEmulator e : List.of(withRow, third)) {
                        Map<String, Object> loaded = e.rows("p2", "typed", "pt=x,h=01").get(0);
                        assertArrayEquals((byte[]) row.get("raw"), (byte[]) loaded.remove("raw"));
                        Map<String, Object> expected = new java.util.LinkedHashMap<>(row);
                        expected.remove("raw");
                        assertEquals(expected, loaded);
                    }
                }
            }
        }
    }

    @Test
    void optionsAndDurationsAreReadAsDocumented() {
        assertEquals(Duration.ofMillis(500), Main.duration("500ms"));
        assertEquals(Duration.ofSeconds(5), Main.duration("5s"));
        assertEquals(Duration.ofMinutes(2), Main.duration("2m"));
        assertEquals(Duration.ofHours(1), Main.duration("1h"));
        assertEquals(Duration.ofSeconds(90), Main.duration("PT90S"));
        assertThrows(IllegalArgumentException.class, () -> Main.duration("soon"));
        Main.Options o = Main.Options.parse(List.of("--project", "a", "--project", "b", "--enforce-session-interval", "--port", "0"));
        assertEquals(List.of("a", "b"), o.all("project"));
        assertEquals("", o.one("enforce-session-interval"));
        assertEquals("0", o.one("port"));
        assertThrows(IllegalArgumentException.class, () -> o.one("snapshot"));
        assertThrows(IllegalArgumentException.class, () -> Main.Options.parse(List.of("stray")));
    }
}
