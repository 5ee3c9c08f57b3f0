package io.kwsync.sink.maxcompute;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.job.LoadResult;
import io.kwsync.sink.Rejected;
import io.kwsync.sink.SinkException;
import io.kwsync.sink.job.JobItem;
import io.kwsync.sink.job.JobRuns;
import io.kwsync.sink.maxcompute.MaxComputeConfig.WriteMode;
import io.kwsync.sink.maxcompute.MaxComputeRunStore.MaxComputeRun;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.sink.maxcompute.MaxComputeJobLoadTest.end;
import static io.kwsync.sink.maxcompute.MaxComputeRowSinkTest.KV_COLUMNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Partition column names match the table's without regard to case, as MaxCompute's names do: a table whose metadata
 * says {@code PT} takes rows carrying {@code pt} in every write path (append, overwrite, upsert, stream, window jobs),
 * and the partition lands under the table's spelling.
 */
class PartitionCaseTest {

    static final String PROJECT = "kwsync_case";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;
    final List<Rejected> rejected = new ArrayList<>();

    static String table(String columns) {
        String t = TestKafka.unique("upper").replace('-', '_');
        mc.execute(PROJECT, "CREATE TABLE " + t + " " + columns);
        return t;
    }

    static RowEvent row(String table, Map<String, String> partition, long offset, String job) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("topic", "src");
        c.put("partition", 0L);
        c.put("offset", offset);
        c.put("key", "k" + offset % 3);
        c.put("value", "v" + offset);
        return new RowEvent(new Origin("src", 0, offset, 0, null, List.of()), new Destination(table, partition), c, job);
    }

    MaxComputeRowSink sink(WriteMode mode) {
        return Sinks.sink(mc, PROJECT, TestKafka.unique("progress"), mode, null, Sinks.AT_ONCE, Clock.systemUTC(), Duration.ofSeconds(10));
    }

    @Test
    void rowsCarryingALowerCaseNameLandInTheTablesUpperCasePartitionInEveryStreamingMode() throws Exception {
        for (WriteMode mode : List.of(WriteMode.APPEND, WriteMode.OVERWRITE, WriteMode.STREAM)) {
            String t = table(KV_COLUMNS + " PARTITIONED BY (PT STRING, Hh STRING)");
            try (MaxComputeRowSink sink = sink(mode)) {
                List<RowEvent> rows = new ArrayList<>();
                for (long o = 0; o < 6; o++) rows.add(row(t, Map.of("hh", "0" + o % 2, "pt", "d1"), o, null));
                assertEquals(6, sink.write(rows, rejected::addAll).written(), mode.name());
                sink.commitDue(true);
            }
            assertEquals(List.of("PT=d1,Hh=00", "PT=d1,Hh=01"), mc.partitions(PROJECT, t), mode.name());
            assertEquals(3, mc.rows(PROJECT, t, "PT=d1,Hh=01").size(), mode.name());
        }

        String keyed = table("(`key` STRING NOT NULL, `value` STRING, PRIMARY KEY (`key`)) PARTITIONED BY (PT STRING)"
                + " TBLPROPERTIES ('transactional'='true')");
        try (MaxComputeRowSink sink = sink(WriteMode.AUTO)) {
            List<RowEvent> rows = new ArrayList<>();
            for (long o = 0; o < 6; o++) rows.add(row(keyed, Map.of("pt", "d1"), o, null));
            sink.write(rows, rejected::addAll);
            sink.commitDue(true);
        }
        assertEquals(3, mc.rows(PROJECT, keyed, "PT=d1").size(), "upserts, one row per key");
    }

    @Test
    void rowsWhosePartitionNamesDifferOtherwiseAreStillRefused() throws Exception {
        String t = table(KV_COLUMNS + " PARTITIONED BY (PT STRING)");
        try (MaxComputeRowSink sink = sink(WriteMode.APPEND)) {
            SinkException e = assertThrows(SinkException.class, () -> sink.write(List.of(row(t, Map.of("ds", "d1"), 0, null)),
                    rejected::addAll));
            assertFalse(e.retriable());
            assertTrue(e.getMessage().contains("partitioned by [PT]"), e.getMessage());
        }
    }

    @Test
    void aWindowJobWithLowerCaseNamesReplacesTheTablesPartition() throws Exception {
        String t = table("(id BIGINT, name STRING) PARTITIONED BY (DS STRING)");
        mc.execute(PROJECT, "ALTER TABLE " + t + " ADD PARTITION (DS='a')");
        CommitLog log = new CommitLog(Map.of("bootstrap.servers", TestKafka.bootstrap()), TestKafka.unique("progress"), true);
        try (JobRuns<MaxComputeRun> jobs = new JobRuns<>(new MaxComputeRunStore(log, PROJECT, null),
                Sinks.staging(mc, PROJECT, Duration.ofSeconds(10)), Clock.systemUTC())) {
            String run = TestKafka.unique("run");
            Map<String, Object> c = Map.of("id", 7L, "name", "n7");
            JobItem.Row row = new JobItem.Row(0, 0, new RowEvent(new Origin("src", 0, 0, 0, null, List.of()),
                    new Destination(t, Map.of("ds", "a")), c, run));
            List<LoadResult> results = jobs.apply(List.of(row, end(run, 1, 0, 1, 1, new Destination(t, Map.of("ds", "a")))),
                    rejected::addAll);
            assertEquals(LoadResult.State.COMMITTED, results.get(0).state(), String.valueOf(results.get(0).reason()));
            assertEquals(Map.of("DS=a", 1L), results.get(0).written());
        }
        assertEquals(List.of(Map.of("id", 7L, "name", "n7")), mc.rows(PROJECT, t, "DS=a"));
    }
}
