package io.kwsync.sink.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.Table;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaxComputeDdlTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "a.a1; a_a1; STRING", "b; b; STRING", "c[1]; c_1; STRING", "d[0].AA; d_0_aa; STRING",
            "amount:decimal(18,2); amount; DECIMAL(18,2)", "n : BIGINT; n; BIGINT", "tags:ARRAY<STRING>; tags; ARRAY<STRING>"})
    void jsonFieldDefinitionsBecomeColumns(String spec, String name, String type) {
        assertEquals(new MaxComputeDdl.ColumnDef(name, type), MaxComputeDdl.column(spec));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"x:NOPE; unknown MaxCompute type", "[0]; does not name a column", "1abc; does not name a column"})
    void badColumnsAreExplained(String spec, String message) {
        assertTrue(MaxComputeDdl.columnProblem(spec).contains(message), MaxComputeDdl.columnProblem(spec));
    }

    @ParameterizedTest
    @CsvSource({"maxcompute-test-input, maxcompute_test_input", "Orders.EU, orders_eu", "2024_events, t_2024_events"})
    void tablesAreNamedAfterTheTopic(String topic, String table) {
        assertEquals(table, MaxComputeDdl.tableName(topic));
        assertTrue(MaxComputeDdl.isIdentifier(table));
    }

    @Test
    void theStreamingConnectorsTableAsInTheSpec() {
        assertEquals("""
                CREATE TABLE IF NOT EXISTS `connector_test`.`test_kafka` (
                  `topic` STRING,
                  `partition` BIGINT,
                  `offset` BIGINT,
                  `key` STRING,
                  `value` STRING
                )
                PARTITIONED BY (`pt` STRING)
                LIFECYCLE 36500;""", MaxComputeDdl.createTable("connector_test", "test_kafka", MaxComputeDdl.KEY_VALUE,
                List.of("pt"), MaxComputeDdl.DEFAULT_LIFECYCLE));
        assertNull(MaxComputeDdl.columnProblem("amount:DOUBLE"));
    }

    @Test
    void aPrimaryKeyMakesATransactionalTableThatTheEmulatorTakesAsOneForUpserts() throws Exception {
        String ddl = MaxComputeDdl.createTable(null, "kv", MaxComputeDdl.KEY_VALUE, List.of("TOPIC", "partition", "offset"),
                List.of("pt"), 7);
        assertEquals("""
                CREATE TABLE IF NOT EXISTS `kv` (
                  `topic` STRING NOT NULL,
                  `partition` BIGINT NOT NULL,
                  `offset` BIGINT NOT NULL,
                  `key` STRING,
                  `value` STRING,
                  PRIMARY KEY (`topic`, `partition`, `offset`)
                )
                PARTITIONED BY (`pt` STRING)
                TBLPROPERTIES ("transactional"="true")
                LIFECYCLE 7;""", ddl);
        try (MaxComputeEmulator mc = MaxComputeEmulator.start().createProject("p")) {
            mc.execute("p", ddl);
            Odps odps = Sinks.odps(mc, "p", Duration.ofSeconds(10));
            Table t = odps.tables().get("p", "kv");
            t.reload();
            assertTrue(t.isDeltaTable(), "a table with a primary key that takes upserts");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
            "key; pt; ; 'key' is both a column and a partition column",
            "; PT,pt; ; partition column 'pt' appears twice",
            "; pt; nope; primary key column 'nope' is not a column of the table",
            "; pt; pt; 'pt' is a partition column",
            "; pt; KEY,key; primary key column 'key' appears twice"})
    void keysAndPartitionsThatDoNotFitTheColumnsAreExplained(String partitionAsColumn, String partitions, String key, String message) {
        List<String> parts = new java.util.ArrayList<>(List.of(partitions.split(",")));
        if (partitionAsColumn != null) parts = List.of(partitionAsColumn);
        String problem = MaxComputeDdl.keyProblem(MaxComputeDdl.KEY_VALUE, key == null ? List.of() : List.of(key.split(",")), parts);
        assertTrue(problem != null && problem.contains(message), problem);
        assertNull(MaxComputeDdl.keyProblem(MaxComputeDdl.KEY_VALUE, List.of("Key"), List.of("PT", "hh")), "names match in any case");
    }
}
