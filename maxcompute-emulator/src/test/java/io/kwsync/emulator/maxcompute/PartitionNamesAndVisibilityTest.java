package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.streams.UpsertStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kwsync.emulator.maxcompute.Sdk.PROJECT;
import static io.kwsync.emulator.maxcompute.Sdk.pack;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Partition column names match without regard to case, as MaxCompute's names do, and land under the table's spelling;
 * the records uploaded are counted before any commit; a listener hears of rows when they become visible; upserts into a
 * large partition find their key without scanning it.
 */
class PartitionNamesAndVisibilityTest {

    @Test
    void aPartitionNamedInAnotherCaseIsTheTablesPartition() throws Exception {
        try (MaxComputeEmulator mc = MaxComputeEmulator.start().createProject(PROJECT)) {
            mc.execute(PROJECT, "CREATE TABLE t " + Sdk.KV_TABLE + " PARTITIONED BY (PT STRING, Hh STRING)");
            mc.execute(PROJECT, "ALTER TABLE t ADD PARTITION (pt='a', hh='01')");
            assertEquals(List.of("PT=a,Hh=01"), mc.partitions(PROJECT, "t"));
            TableTunnel.UploadSession s = Sdk.tunnel(mc).createUploadSession(PROJECT, "t", new PartitionSpec("hh=01,pt=a"), false);
            s.writeBlock(0, pack(s, 0, 2, 3));
            assertEquals(2, mc.counters(PROJECT, "t", "pt=a,hh=01").uploadedRecords(), "counted when uploaded");
            assertEquals(0, mc.counters(PROJECT, "t", "PT=a,Hh=01").committedRecords());
            s.commit(new Long[]{0L});
            assertEquals(2, mc.rows(PROJECT, "t", "PT=a,Hh=01").size());
            assertEquals(2, mc.rows(PROJECT, "t", "pt=a,hh=01").size());
        }
    }

    @Test
    void aListenerHearsOfRowsWhenTheyBecomeVisible() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder().clock(clock))) {
            List<String> heard = new ArrayList<>();
            mc.onVisible((project, table, spec, rows, at) -> heard.add(table + "/" + spec + ":" + rows.size() + "@" + at.equals(clock.instant())));
            TableTunnel tunnel = Sdk.tunnel(mc);
            TableTunnel.UploadSession s = Sdk.upload(tunnel, "a");
            s.writeBlock(0, pack(s, 0, 3, 3));
            s.writeBlock(1, pack(s, 3, 2, 3));
            assertEquals(List.of(), heard, "nothing before the commit");
            s.commit(new Long[]{0L, 1L});
            TableTunnel.StreamUploadSession stream = tunnel.buildStreamUploadSession(PROJECT, "t").setPartitionSpec(new PartitionSpec("pt=b")).build();
            TableTunnel.StreamRecordPack p = stream.newRecordPack(Sdk.RAW);
            Record r = stream.newRecord();
            r.setString(0, "topic");
            r.setBigint(2, 9L);
            p.append(r);
            p.flush();
            assertEquals(List.of("t/pt=a:5@true", "t/pt=b:1@true"), heard);
            mc.onVisible(null);
        }
    }

    @Test
    void upsertsIntoALargePartitionKeepOneRowPerKey() throws Exception {
        try (MaxComputeEmulator mc = Sdk.withKvTable(MaxComputeEmulator.builder())) {
            Sdk.addUpsertTable(mc);
            for (int round = 0; round < 2; round++) {
                TableTunnel.UpsertSession s = Sdk.tunnel(mc).buildUpsertSession(PROJECT, "u").setPartitionSpec(new PartitionSpec("pt=a")).build();
                try {
                    UpsertStream stream = s.buildUpsertStream().setCompressOption(Sdk.RAW).build();
                    Record r = s.newRecord();
                    for (long i = 0; i < 20_000; i++) {
                        r.setString("k", "k" + (round == 0 ? i : i % 10));
                        r.setBigint("v", i + round * 100_000L);
                        stream.upsert(r);
                    }
                    stream.close();
                    s.commit(false);
                } finally {
                    s.close();
                }
            }
            List<Map<String, Object>> rows = mc.rows(PROJECT, "u", "pt=a");
            assertEquals(20_000, rows.size());
            Map<String, Object> k3 = rows.stream().filter(x -> x.get("k").equals("k3")).findFirst().orElseThrow();
            assertEquals(119_993L, k3.get("v"), "the last upsert of key k3 in the second round");
        }
    }
}
