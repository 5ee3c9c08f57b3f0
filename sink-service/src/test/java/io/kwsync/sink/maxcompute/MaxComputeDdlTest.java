package io.kwsync.sink.maxcompute;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
}
