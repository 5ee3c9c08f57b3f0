package io.kwsync.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad mapping, type, encoding or failure setting stops ingest-service at start, naming the variable and position. */
@Execution(ExecutionMode.CONCURRENT) // independent tests (own environment and log each), each only starting a JVM
class MappingConfigurationIT {

    static String failToStart(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of("KWSYNC_CONNECTOR_NAME", "map-check", "KWSYNC_SOURCE_TOPICS", "t",
                "KWSYNC_DESTINATION_TABLE", "x"));
        env.putAll(settings);
        try (ServiceProcess p = new ServiceProcess("ingest-service", "mapping-config-" + settings.hashCode(), env).start()) {
            assertEquals(1, p.awaitExit(Duration.ofSeconds(60)), "exit code");
            return p.output();
        }
    }

    @Test
    void syntaxErrorsPointAtThePosition() {
        String out = failToStart(Map.of("KWSYNC_MAPPING_COLUMNS", "__key__ => k,\nc[1 => second",
                "KWSYNC_FAILURE_POLICY", "stop", "KWSYNC_ERROR_LIMIT", "3"));
        assertTrue(out.contains("KWSYNC_MAPPING_COLUMNS (kwsync.mapping.columns) at character 18 (line 2, column 4),"
                + " after \"c[1\": expected ']' to close the '[' at character 16, found ' '"), out);
        assertTrue(out.contains("KWSYNC_ERROR_LIMIT (kwsync.error.limit) applies only with KWSYNC_FAILURE_POLICY=continue"), out);
    }

    @Test
    void mappingRulesAreCheckedAtStart() {
        String out = failToStart(Map.of("KWSYNC_MAPPING_COLUMNS", "a => x, b => x, a => y, a.a1"));
        assertTrue(out.contains("KWSYNC_MAPPING_COLUMNS (kwsync.mapping.columns) at character 25, after \"a => x, b => x,"
                + " a => y, \": a.a1 needs a destination column: a.a1 => column_name"), out);
        out = failToStart(Map.of("KWSYNC_MAPPING_COLUMNS", "a => x, b => x, a => y"));
        assertTrue(out.contains("KWSYNC_MAPPING_COLUMNS (kwsync.mapping.columns) column x is mapped twice, by entry 1"
                + " (a => x) and by entry 2 (b => x)"), out);
        assertTrue(out.contains("KWSYNC_MAPPING_COLUMNS (kwsync.mapping.columns) source field a is mapped twice"), out);
    }

    @Test
    void typesAndEncodingAreChecked() {
        String out = failToStart(Map.of("KWSYNC_SOURCE_KEY_TYPE", "INT", "KWSYNC_SOURCE_VALUE_TYPE", "long",
                "KWSYNC_SOURCE_ENCODING", "klingon"));
        assertTrue(out.contains("KWSYNC_SOURCE_KEY_TYPE (kwsync.source.key-type) 'INT' is not a type; use one of"
                + " BYTEARRAY, STRING, SHORT, INTEGER, LONG, FLOAT, DOUBLE"), out);
        assertTrue(out.contains("KWSYNC_SOURCE_ENCODING (kwsync.source.encoding) 'klingon' is not a charset"), out);
        assertTrue(out.contains("KWSYNC_SOURCE_VALUE_TYPE (kwsync.source.value-type) is LONG, but without"
                + " KWSYNC_MAPPING_COLUMNS each value must be a JSON object"), out);
        out = failToStart(Map.of("KWSYNC_MAPPING_COLUMNS", "__value__, a.a1 => a", "KWSYNC_SOURCE_VALUE_TYPE", "DOUBLE"));
        assertTrue(out.contains("KWSYNC_MAPPING_COLUMNS (kwsync.mapping.columns) entry 2 (a.a1 => a) reads a JSON path,"
                + " which needs the value type STRING or BYTEARRAY, not DOUBLE"), out);
    }
}
