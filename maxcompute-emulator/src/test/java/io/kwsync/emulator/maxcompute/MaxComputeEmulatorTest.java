package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.aliyun.odps.data.RecordWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator against the unmodified SDK: metadata, partitions through SQL, tunnel uploads, signatures, refusals. */
class MaxComputeEmulatorTest {

    static MaxComputeEmulator mc;

    @BeforeAll
    static void start() {
        mc = MaxComputeEmulator.start().createProject("p1");
        mc.execute("p1", "CREATE TABLE IF NOT EXISTS t1 (topic STRING, `partition` BIGINT, `offset` BIGINT, key STRING, value STRING)"
                + " PARTITIONED BY (pt STRING) LIFECYCLE 36500;");
    }

    @AfterAll
    static void stop() {
        mc.close();
    }

    static Odps odps(String key) {
        Odps odps = new Odps(new AliyunAccount(MaxComputeEmulator.ACCESS_ID, key));
        odps.setEndpoint(mc.endpoint());
        odps.setDefaultProject("p1");
        odps.getRestClient().setRetryTimes(0);
        return odps;
    }

    @Test
    void uploadSessionsWriteIntoAnExistingPartitionAndTheRowsCanBeRead() throws Exception {
        Odps odps = odps(MaxComputeEmulator.ACCESS_KEY);
        Table t = odps.tables().get("p1", "t1");
        assertEquals(5, t.getSchema().getColumns().size());
        assertFalse(t.isTransactional());
        PartitionSpec spec = new PartitionSpec("pt=11-17-2020 15");
        assertFalse(t.hasPartition(spec));
        t.createPartition(spec, true);
        assertTrue(t.hasPartition(spec));

        TableTunnel tunnel = new TableTunnel(odps);
        for (boolean compress : new boolean[]{false, true}) {
            TableTunnel.UploadSession s = tunnel.createUploadSession("p1", "t1", spec, false);
            try (RecordWriter w = s.openRecordWriter(0, compress ? new CompressOption()
                    : new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0))) {
                Record r = s.newRecord();
                for (long i = 0; i < 3; i++) {
                    r.setString(0, "topic");
                    r.setBigint(1, 0L);
                    r.setBigint(2, i);
                    r.setString(3, "k" + i);
                    r.setString(4, "v" + i);
                    w.write(r);
                }
            }
            s.commit(new Long[]{0L});
            assertEquals(TableTunnel.UploadStatus.CLOSED, tunnel.getUploadSession("p1", "t1", spec, s.getId()).getStatus());
        }
        List<Map<String, Object>> rows = mc.rows("p1", "t1", "pt=11-17-2020 15");
        assertEquals(6, rows.size());
        assertEquals(Map.of("topic", "topic", "partition", 0L, "offset", 2L, "key", "k2", "value", "v2"), rows.get(2));
    }

    @Test
    void aMissingPartitionProjectOrTableIsReportedAsSuch() {
        Odps odps = odps(MaxComputeEmulator.ACCESS_KEY);
        TableTunnel tunnel = new TableTunnel(odps);
        TunnelException e = assertThrows(TunnelException.class,
                () -> tunnel.createUploadSession("p1", "t1", new PartitionSpec("pt=nope"), false));
        assertEquals("NoSuchPartition", e.getErrorCode());
        assertThrows(NoSuchObjectException.class, () -> odps.tables().get("p1", "missing").reload());
        assertThrows(NoSuchObjectException.class, () -> odps.projects().get("nope").reload());
    }

    @Test
    void aWrongSecretOrADeniedPrivilegeIsRefused() throws Exception {
        OdpsException wrong = assertThrows(OdpsException.class, () -> odps("not-the-secret").tables().get("p1", "t1").reload());
        assertTrue(wrong.getMessage().contains("signature"), wrong.getMessage());
        mc.deny("Update");
        try {
            TunnelException e = assertThrows(TunnelException.class, () -> new TableTunnel(odps(MaxComputeEmulator.ACCESS_KEY))
                    .createUploadSession("p1", "t1", new PartitionSpec("pt=11-17-2020 15"), false));
            assertEquals(403, e.getStatus());
            assertTrue(e.getMessage().contains("odps:Update"), e.getMessage());
        } finally {
            mc.allowAll();
        }
        mc.deny("Alter");
        try {
            OdpsException e = assertThrows(OdpsException.class,
                    () -> odps(MaxComputeEmulator.ACCESS_KEY).tables().get("p1", "t1").createPartition(new PartitionSpec("pt=x"), true));
            assertTrue(e.getMessage().contains("odps:Alter"), e.getMessage());
        } finally {
            mc.allowAll();
        }
    }
}
