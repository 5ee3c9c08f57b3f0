package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.WriteResult;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Routed rows into MaxCompute: rows for five tables interleaved on the same source partitions, each table with time
 * partitions of its own, go each to its table and partition, and a replay after a restart (the commit log is per
 * source partition, whatever the table) adds only the new rows.
 */
class MaxComputeRoutingTest {

    @LocalMaxCompute(project = MaxComputeRowSinkTest.PROJECT)
    static MaxComputeEmulator mc;

    /** The helpers borrowed from {@link MaxComputeRowSinkTest} write to its emulator: this class's, while it runs. */
    @BeforeAll
    static void lend() {
        MaxComputeRowSinkTest.mc = mc;
    }

    @AfterAll
    static void takeBack() {
        MaxComputeRowSinkTest.mc = null;
    }

    @Test
    void rowsForFiveTablesOnTheSamePartitionsLandOnceEachInTheirTable() throws Exception {
        List<String> tables = new ArrayList<>();
        for (int t = 0; t < 5; t++) tables.add(MaxComputeRowSinkTest.table("routed" + t));
        List<RowEvent> rows = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            for (long o = 0; o < 50; o++) {
                String pt = o < 25 ? "11-17-2020 14" : "11-17-2020 15";
                rows.add(MaxComputeRowSinkTest.row(tables.get((int) (o % 5)), pt, "src", p, o));
            }
        }
        String progress = TestKafka.unique("progress");
        try (MaxComputeRowSink sink = MaxComputeRowSinkTest.sink(progress, WriteMode.AUTO, null)) {
            assertEquals(60, MaxComputeRowSinkTest.write(sink, rows.subList(0, 60)).written());
        }
        try (MaxComputeRowSink restarted = MaxComputeRowSinkTest.sink(progress, WriteMode.AUTO, null)) {
            WriteResult r = MaxComputeRowSinkTest.write(restarted, rows); // everything again, 40 rows of it new
            assertEquals(40, r.written());
            assertEquals(60, r.duplicates());
        }
        for (int t = 0; t < 5; t++) {
            assertEquals(20, MaxComputeRowSinkTest.mc.rowCount(MaxComputeRowSinkTest.PROJECT, tables.get(t)), "table " + t);
            List<Long> hour14 = MaxComputeRowSinkTest.offsets(tables.get(t), "11-17-2020 14");
            List<Long> expected = new ArrayList<>();
            for (long o = t; o < 25; o += 5) {
                expected.add(o);
                expected.add(o);
            }
            assertEquals(expected, hour14, "table " + t + ": each offset once per source partition");
        }
    }
}
