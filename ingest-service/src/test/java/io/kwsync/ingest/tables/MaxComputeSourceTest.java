package io.kwsync.ingest.tables;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.tunnel.TableTunnel;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.emulator.maxcompute.junit.LocalMaxCompute;
import io.kwsync.ingest.config.WriterSource;
import io.kwsync.ingest.schedule.Template;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Source rows from one partition of a MaxCompute table, through the SDK's download session against the emulator. */
class MaxComputeSourceTest {

    static final String PROJECT = "writer_src";
    @LocalMaxCompute(project = PROJECT)
    static MaxComputeEmulator mc;

    @BeforeAll
    static void fill() throws Exception {
        mc.execute(PROJECT, "CREATE TABLE orders (id BIGINT, name STRING, amount DECIMAL(12,2), ok BOOLEAN, seen DATETIME,"
                + " d DOUBLE, bin BINARY) PARTITIONED BY (ds STRING)");
        mc.execute(PROJECT, "ALTER TABLE orders ADD PARTITION (ds='20221121')");
        mc.execute(PROJECT, "ALTER TABLE orders ADD PARTITION (ds='20221122')");
        upload("20221121", 500);
        upload("20221122", 7);
    }

    static Odps odps() {
        Odps odps = new Odps(new AliyunAccount(MaxComputeEmulator.ACCESS_ID, MaxComputeEmulator.ACCESS_KEY));
        odps.setEndpoint(mc.endpoint());
        odps.setDefaultProject(PROJECT);
        return odps;
    }

    static void upload(String ds, int n) throws Exception {
        TableTunnel.UploadSession s = new TableTunnel(odps()).createUploadSession(PROJECT, "orders", new PartitionSpec("ds=" + ds));
        try (RecordWriter w = s.openRecordWriter(0)) {
            for (int i = 0; i < n; i++) {
                Record r = s.newRecord();
                r.setBigint(0, (long) i);
                r.setString(1, i == 1 ? null : "name-" + i);
                r.set(2, new BigDecimal(i + ".25"));
                r.setBoolean(3, i % 2 == 0);
                r.setDatetime(4, java.util.Date.from(Instant.parse("2022-11-21T02:00:00Z").plusSeconds(i)));
                r.setDouble(5, i / 4.0);
                r.set(6, new Binary(new byte[]{(byte) i, 1}));
                w.write(r);
            }
        }
        s.commit(new Long[]{0L});
    }

    static WriterSource source(String partition, List<String> columns, String accessKey) {
        return new WriterSource(WriterSource.Kind.MAXCOMPUTE, null, new WriterSource.MaxCompute(mc.endpoint(), null, PROJECT,
                MaxComputeEmulator.ACCESS_ID, accessKey), null, "orders", columns, null,
                partition == null ? null : Template.parse(partition), 1000);
    }

    static List<Object[]> read(WriterSource s, Map<String, String> values, List<String> names) {
        List<Object[]> out = new ArrayList<>();
        try (RowSource rows = TableSources.open(s, SourceRead.resolve(s, values), Duration.ofMinutes(1))) {
            names.addAll(rows.columns());
            Object[] r;
            while ((r = rows.next()) != null) out.add(r);
        }
        return out;
    }

    @Test
    void aPartitionIsReadWithItsValuesInTheConfiguredColumns() {
        List<String> names = new ArrayList<>();
        List<Object[]> rows = read(source("ds=${bizdate}", List.of(), MaxComputeEmulator.ACCESS_KEY), Map.of("bizdate", "20221121"), names);
        assertEquals(List.of("id", "name", "amount", "ok", "seen", "d", "bin"), names);
        assertEquals(500, rows.size());
        Object[] r = rows.get(3);
        assertEquals(3L, r[0]);
        assertEquals("name-3", r[1]);
        assertEquals(new BigDecimal("3.25"), r[2]);
        assertEquals(false, r[3]);
        assertEquals(Instant.parse("2022-11-21T02:00:03Z"), r[4], "DATETIME is an instant");
        assertEquals(0.75, r[5]);
        assertArrayEquals(new byte[]{3, 1}, (byte[]) r[6]);
        assertNull(rows.get(1)[1]);

        List<String> picked = new ArrayList<>();
        List<Object[]> some = read(source("ds=20221122", List.of("name", "ID"), MaxComputeEmulator.ACCESS_KEY), Map.of(), picked);
        assertEquals(List.of("name", "id"), picked);
        assertEquals(7, some.size());
        assertEquals("name-6", some.get(6)[0]);
        assertEquals(6L, some.get(6)[1]);
    }

    @Test
    void aMissingPartitionMayStillComeAWrongKeyOrColumnNever() {
        SourceException missing = assertThrows(SourceException.class,
                () -> read(source("ds=20990101", List.of(), MaxComputeEmulator.ACCESS_KEY), Map.of(), new ArrayList<>()));
        assertTrue(missing.retriable(), missing.getMessage());
        SourceException denied = assertThrows(SourceException.class,
                () -> read(source("ds=20221121", List.of(), "wrong-secret"), Map.of(), new ArrayList<>()));
        assertFalse(denied.retriable(), denied.getMessage());
        SourceException column = assertThrows(SourceException.class,
                () -> read(source("ds=20221121", List.of("nope"), MaxComputeEmulator.ACCESS_KEY), Map.of(), new ArrayList<>()));
        assertFalse(column.retriable());
        assertTrue(column.getMessage().contains("no column nope"), column.getMessage());
    }
}
