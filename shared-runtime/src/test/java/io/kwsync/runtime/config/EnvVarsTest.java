package io.kwsync.runtime.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EnvVarsTest {

    @Test
    void propertyToVariable() {
        assertEquals("KWSYNC_SOURCE_TOPICS", EnvVars.of("kwsync.source.topics"));
        assertEquals("KWSYNC_ROWS_TOPIC_PARTITIONS", EnvVars.of("kwsync.rows.topic-partitions"));
    }

    @Test
    void namesVariablesInForeignMessages() {
        assertEquals("SRCFG00039: The config property KWSYNC_SOURCE_OFFSET_RESET (kwsync.source.offset-reset) with the config value \"x\" threw",
                EnvVars.nameVariables("SRCFG00039: The config property kwsync.source.offset-reset with the config value \"x\" threw"));
        assertEquals("enum class io.kwsync.ingest.config.IngestConfig$OffsetReset",
                EnvVars.nameVariables("enum class io.kwsync.ingest.config.IngestConfig$OffsetReset"));
        assertEquals("nothing to do here", EnvVars.nameVariables("nothing to do here"));
    }

    @Test
    void collectorListsEveryProblem() {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> new InvalidConfigurationException.Collector()
                .check(true, "kwsync.a", "never shown")
                .check(false, "kwsync.connector.name", "is required")
                .problem("kwsync.jdbc.url", "must start with jdbc:")
                .throwIfAny());
        assertEquals(List.of("KWSYNC_CONNECTOR_NAME (kwsync.connector.name) is required",
                "KWSYNC_JDBC_URL (kwsync.jdbc.url) must start with jdbc:"), e.problems());
    }
}
