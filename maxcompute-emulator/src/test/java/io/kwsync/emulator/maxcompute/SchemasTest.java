package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordWriter;
import com.aliyun.odps.task.SQLTask;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TunnelException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MaxCompute's three-level model through the unmodified SDK: tables of a schema, and the refusals around them. */
class SchemasTest {

    MaxComputeEmulator mc;
    Odps odps;

    @BeforeEach
    void start() {
        mc = MaxComputeEmulator.start().createProject(Sdk.PROJECT).createSchema(Sdk.PROJECT, "sales");
        odps = Sdk.odps(mc);
    }

    @AfterEach
    void stop() {
        mc.close();
    }

    @Test
    void aTableOfASchemaIsCreatedPartitionedWrittenAndReadThroughTheSdk() throws Exception {
        SQLTask.run(odps, Sdk.PROJECT, "CREATE TABLE p1.sales.orders (id BIGINT, name STRING) PARTITIONED BY (ds STRING);",
                "t", Map.of("odps.namespace.schema", "true", "odps.sql.allow.namespace.schema", "true"), null).waitForSuccess();
        assertTrue(mc.tableExists(Sdk.PROJECT, "sales.orders"));
        assertFalse(mc.tableExists(Sdk.PROJECT, "orders"), "not in DEFAULT");
        Table t = odps.tables().get(Sdk.PROJECT, "sales", "orders");
        t.reload();
        assertEquals("orders", t.getName());
        t.createPartition(new PartitionSpec("ds=20201117"), true); // the SDK's own ALTER TABLE with its schema hints
        TableTunnel.UploadSession s = Sdk.tunnel(mc).createUploadSession(Sdk.PROJECT, "sales", "orders",
                new PartitionSpec("ds=20201117"), false);
        try (RecordWriter w = s.openRecordWriter(0)) {
            Record r = s.newRecord();
            r.setBigint("id", 7L);
            r.setString("name", "x");
            w.write(r);
        }
        s.commit(new Long[]{0L});
        assertEquals(List.of(Map.<String, Object>of("id", 7L, "name", "x")), mc.rows(Sdk.PROJECT, "sales.orders", "ds=20201117"));
    }

    @Test
    void aThreeLevelNameWithoutTheSchemaSyntaxIsAParseError() throws Exception {
        OdpsException e = assertThrows(OdpsException.class, () -> SQLTask.run(odps, Sdk.PROJECT,
                "CREATE TABLE p1.sales.orders (id BIGINT);", "t", null, null).waitForSuccess());
        assertTrue(e.getMessage().contains("three-level names need odps.namespace.schema=true"), e.getMessage());
    }

    @Test
    void aSchemaTheProjectDoesNotHaveIsRefusedEverywhere() throws Exception {
        OdpsException sql = assertThrows(OdpsException.class, () -> SQLTask.run(odps, Sdk.PROJECT,
                "CREATE TABLE p1.nosuch.orders (id BIGINT);", "t", Map.of("odps.namespace.schema", "true"), null).waitForSuccess());
        assertTrue(sql.getMessage().contains("Schema not found - 'p1.nosuch'"), sql.getMessage());
        Table t = odps.tables().get(Sdk.PROJECT, "nosuch", "orders");
        NoSuchObjectException meta = assertThrows(NoSuchObjectException.class, t::reload);
        assertTrue(meta.getMessage().contains("Schema not found"), meta.getMessage());
        TunnelException tunnel = assertThrows(TunnelException.class,
                () -> Sdk.tunnel(mc).createUploadSession(Sdk.PROJECT, "nosuch", "orders", false));
        assertTrue(tunnel.getMessage().contains("Schema not found"), tunnel.getMessage());
        mc.execute(Sdk.PROJECT, "CREATE TABLE orders (id BIGINT)");
        assertThrows(NoSuchObjectException.class, t::reload, "a table of the same name in DEFAULT does not count");
        Table inDefault = odps.tables().get(Sdk.PROJECT, "default", "orders");
        inDefault.reload(); // DEFAULT holds the two-level model's tables
        assertEquals("orders", inDefault.getName());
    }
}
