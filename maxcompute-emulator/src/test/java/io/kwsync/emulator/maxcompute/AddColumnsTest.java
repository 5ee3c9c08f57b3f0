package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.task.SQLTask;
import com.aliyun.odps.tunnel.TableTunnel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ALTER TABLE ... ADD COLUMNS} through the SDK's SQL task: the columns appear in the table's metadata and in new
 * tunnel sessions, committed rows read NULL in them, and names MaxCompute would refuse are refused.
 */
class AddColumnsTest {

    private MaxComputeEmulator mc;
    private Odps odps;

    @BeforeEach
    void start() {
        mc = Sdk.withKvTable(MaxComputeEmulator.builder());
        odps = Sdk.odps(mc);
    }

    @AfterEach
    void stop() {
        mc.close();
    }

    private void sql(String statement) throws OdpsException {
        SQLTask.run(odps, Sdk.PROJECT, statement, "AddColumnsTest", null, null).waitForSuccess();
    }

    private void write(TableTunnel.UploadSession s, Map<String, Object> values) throws Exception {
        Record r = s.newRecord();
        values.forEach(r::set);
        try (RecordWriter w = s.openRecordWriter(0)) {
            w.write(r);
        }
        s.commit(new Long[]{0L});
    }

    @Test
    void addedColumnsAreInTheMetadataAndNewSessionsAndReadNullInOlderRows() throws Exception {
        TableTunnel tunnel = new TableTunnel(odps);
        write(Sdk.upload(tunnel, "a"), Map.of("key", "k0", "offset", 0L));
        // a session opened before the change still commits blocks of the old width
        TableTunnel.UploadSession before = Sdk.upload(tunnel, "a");

        sql("ALTER TABLE t ADD COLUMNS (amount DECIMAL(18,2), `note` STRING COMMENT 'free text')");

        Table t = odps.tables().get(Sdk.PROJECT, "t");
        t.reload();
        assertEquals(List.of("topic", "partition", "offset", "key", "value", "amount", "note"),
                t.getSchema().getColumns().stream().map(c -> c.getName()).toList());
        write(before, Map.of("key", "k1", "offset", 1L));
        TableTunnel.UploadSession after = tunnel.createUploadSession(Sdk.PROJECT, "t", new PartitionSpec("pt=a"), false);
        write(after, Map.of("key", "k2", "offset", 2L, "note", "hello"));

        List<Map<String, Object>> rows = mc.rows(Sdk.PROJECT, "t", "pt=a");
        assertEquals(3, rows.size());
        assertNull(rows.get(0).get("note"), "committed before: NULL");
        assertNull(rows.get(1).get("note"), "an old-width block: NULL");
        assertEquals("hello", rows.get(2).get("note"));
    }

    @Test
    void namesTakenInAnyCaseInvalidNamesAndNotNullAreRefused() throws Exception {
        OdpsException taken = assertThrows(OdpsException.class, () -> sql("ALTER TABLE t ADD COLUMNS (KEY STRING)"));
        assertTrue(taken.getMessage().contains("column KEY already exists"), taken.getMessage());
        OdpsException partition = assertThrows(OdpsException.class, () -> sql("ALTER TABLE t ADD COLUMNS (Pt STRING)"));
        assertTrue(partition.getMessage().contains("already exists"), partition.getMessage());
        sql("ALTER TABLE t ADD COLUMNS IF NOT EXISTS (Key STRING, extra BIGINT)");
        assertTrue(mc.describe(Sdk.PROJECT, "t").contains("extra"), mc.describe(Sdk.PROJECT, "t"));

        for (String bad : List.of("`1abc` STRING", "`a-b` STRING", "c STRING NOT NULL", "d STRING, D BIGINT", "e NOSUCHTYPE")) {
            assertThrows(OdpsException.class, () -> sql("ALTER TABLE t ADD COLUMNS (" + bad + ")"), bad);
        }
        assertThrows(OdpsException.class, () -> sql("ALTER TABLE missing ADD COLUMNS (x STRING)"));
        mc.deny("Alter");
        OdpsException denied = assertThrows(OdpsException.class, () -> sql("ALTER TABLE t ADD COLUMNS (y STRING)"));
        assertTrue(denied.getMessage().contains("NO privilege 'odps:Alter'"), denied.getMessage());
    }
}
