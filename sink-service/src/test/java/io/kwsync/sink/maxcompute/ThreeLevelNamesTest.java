package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static io.kwsync.sink.maxcompute.MaxComputeRowSinkTest.PROJECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows addressed to {@code project.schema.table} (MaxCompute's three-level model) land in that schema's table, in each
 * write mode that takes them; names the sink cannot write are refused with the reason, never guessed.
 */
class ThreeLevelNamesTest {

    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    /** The helpers borrowed from {@link MaxComputeRowSinkTest} write to its emulator: this class's, while it runs. */
    @BeforeAll
    static void lend() {
        MaxComputeRowSinkTest.mc = mc;
        mc.createSchema(PROJECT, "sales");
    }

    @AfterAll
    static void takeBack() {
        MaxComputeRowSinkTest.mc = null;
    }

    static String schemaTable(String prefix) {
        String t = TestKafka.unique(prefix).replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + PROJECT + ".sales." + t + " " + MaxComputeRowSinkTest.KV_COLUMNS + " PARTITIONED BY (pt STRING)");
        return t;
    }

    @ParameterizedTest
    @EnumSource(value = WriteMode.class, names = {"APPEND", "STREAM"})
    void rowsForAThreeLevelNameLandInThatSchemasTable(WriteMode mode) throws Exception {
        String t = schemaTable("three");
        String name = PROJECT + ".sales." + t;
        List<RowEvent> rows = new ArrayList<>();
        for (long o = 0; o < 20; o++) rows.add(MaxComputeRowSinkTest.row(name, "11-17-2020 14", "src", 0, o));
        try (MaxComputeRowSink sink = MaxComputeRowSinkTest.sink(TestKafka.unique("progress"), mode, null)) {
            assertEquals(20, MaxComputeRowSinkTest.write(sink, rows).written());
        }
        assertEquals(20, mc.rows(PROJECT, "sales." + t, "pt=11-17-2020 14").size());
        assertEquals(false, mc.tableExists(PROJECT, t), "nothing in DEFAULT");
    }

    @Test
    void aNameTheSinkCannotWriteIsNotGuessed() {
        for (String bad : List.of("sales.orders", PROJECT + "_other.sales.orders", PROJECT + ".nosuch.orders")) {
            List<RowEvent> rows = List.of(MaxComputeRowSinkTest.row(bad, "11-17-2020 14", "src", 0, 0));
            try (MaxComputeRowSink sink = MaxComputeRowSinkTest.sink(TestKafka.unique("progress"), WriteMode.APPEND, null)) {
                SinkException e = assertThrows(SinkException.class, () -> MaxComputeRowSinkTest.write(sink, rows), bad);
                assertTrue(!e.retriable(), bad + ": " + e.getMessage());
                assertTrue(e.getMessage().contains(bad.endsWith("nosuch.orders") ? "Schema not found" : "'" + bad + "'"),
                        bad + ": " + e.getMessage());
            }
        }
    }

    @Test
    void theNameParsesAsConfigured() {
        assertEquals(new QualifiedTable("p", null, "t"), QualifiedTable.parse("t", "p"));
        assertEquals(new QualifiedTable("p", "s", "t"), QualifiedTable.parse("P.s.t", "p"), "project names ignore case");
        assertEquals("p.s.t", QualifiedTable.parse("p.s.t", "p").toString());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QualifiedTable.parse("s.t", "p")).getMessage()
                .contains("use table (in project p) or project.schema.table"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QualifiedTable.parse("q.s.t", "p")).getMessage()
                .contains("names project q, but the sink writes to project p (KWSYNC_MAXCOMPUTE_PROJECT)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> QualifiedTable.parse("p.s-1.t", "p")).getMessage()
                .contains("is not a MaxCompute table name"));
        assertEquals("CREATE TABLE IF NOT EXISTS `p`.`s`.`t` (\n  `a` STRING\n)\nLIFECYCLE 7;",
                MaxComputeDdl.createTable("p", "s.t", List.of(new MaxComputeDdl.ColumnDef("a", "STRING")), List.of(), 7));
    }
}
