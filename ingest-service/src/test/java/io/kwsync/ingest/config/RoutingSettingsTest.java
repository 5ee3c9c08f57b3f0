package io.kwsync.ingest.config;

import io.kwsync.model.Origin;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topic patterns and routing as an operator writes them, through the real configuration machinery. */
class RoutingSettingsTest {

    static Map<String, String> base() {
        Map<String, String> p = new HashMap<>();
        p.put("kwsync.connector.name", "many");
        p.put("kwsync.rows.topic", "kwsync-rows-many");
        p.put("kwsync.error.topic", "connect-error-many");
        p.put("kwsync.source.topic-pattern", "orders\\..*");
        p.put("kwsync.destination.table", "ods_${topic|safe}");
        return p;
    }

    static IngestSettings read(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(JobConfig.class).withMapping(IngestConfig.class)
                .withMapping(IngestMode.class).withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(properties).build();
        return IngestSettings.read(config.getConfigMapping(IngestConfig.class), config.getConfigMapping(IngestMode.class),
                config.getConfigMapping(JobConfig.class), RawSettings.of(config));
    }

    static String problem(Map<String, String> properties) {
        return assertThrows(InvalidConfigurationException.class, () -> read(properties)).getMessage();
    }

    @Test
    void aPatternAndATemplate() {
        IngestSettings s = read(base());
        assertEquals("ods_${topic|safe}", s.table(), "kept as written, not expanded as a config expression");
        assertTrue(s.readsTopic("orders.eu"));
        assertFalse(s.readsTopic("payments"));
        assertEquals(List.of(), s.sourceTopics());
        Origin o = new Origin("orders.eu", 0, 1, 1, null, List.of());
        assertEquals("ods_orders_eu", s.route().orElseThrow().table(o, "{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void internalTopicsAreNeverRead() {
        Map<String, String> p = base();
        p.put("kwsync.source.topic-pattern", ".*");
        IngestSettings s = read(p);
        assertTrue(s.readsTopic("orders"));
        for (String internal : List.of("kwsync-rows-many", "connect-error-many", "connect-offset-many", "connect-status-x",
                "__consumer_offsets", "kwsync-rows-other")) {
            assertFalse(s.readsTopic(internal), internal);
        }
        p.put("kwsync.rows.topic", "my-rows");
        assertTrue(problem(p).contains("KWSYNC_ROWS_TOPIC"), "a rows topic the pattern matches is refused");
    }

    @Test
    void badSettingsNameTheirVariable() {
        Map<String, String> both = base();
        both.put("kwsync.source.topics", "a,b");
        assertTrue(problem(both).contains("KWSYNC_SOURCE_TOPICS (kwsync.source.topics) must not be set together"), problem(both));

        Map<String, String> neither = base();
        neither.remove("kwsync.source.topic-pattern");
        assertTrue(problem(neither).contains("KWSYNC_SOURCE_TOPIC_PATTERN"), problem(neither));

        Map<String, String> badRegex = base();
        badRegex.put("kwsync.source.topic-pattern", "orders(");
        assertTrue(problem(badRegex).contains("KWSYNC_SOURCE_TOPIC_PATTERN (kwsync.source.topic-pattern) is not a valid regular"),
                problem(badRegex));

        Map<String, String> badTemplate = base();
        badTemplate.put("kwsync.destination.table", "ods_${offset}");
        assertTrue(problem(badTemplate).contains("KWSYNC_DESTINATION_TABLE (kwsync.destination.table) is not a valid routing template"),
                problem(badTemplate));

        Map<String, String> badMap = base();
        badMap.put("kwsync.destination.table-map", "orders.eu => ods_eu, orders.us => \"drop\"");
        assertTrue(problem(badMap).contains("KWSYNC_DESTINATION_TABLE_MAP"), problem(badMap));

        Map<String, String> notAllowed = base();
        notAllowed.put("kwsync.destination.table-map", "orders.eu => ods_eu, * => ods_rest");
        notAllowed.put("kwsync.destination.table-allow", "ods_eu");
        assertTrue(problem(notAllowed).contains("\"ods_rest\" is not allowed by KWSYNC_DESTINATION_TABLE_ALLOW"), problem(notAllowed));

        Map<String, String> mapWithoutTemplate = base();
        mapWithoutTemplate.put("kwsync.destination.table", "orders");
        mapWithoutTemplate.put("kwsync.destination.table-map", "a => b");
        assertTrue(problem(mapWithoutTemplate).contains("KWSYNC_DESTINATION_TABLE_MAP (kwsync.destination.table-map) applies only"));

        Map<String, String> job = base();
        job.remove("kwsync.source.topic-pattern");
        job.put("kwsync.source.topics", "orders");
        job.put("kwsync.ingest.mode", "job");
        job.put("kwsync.job.schedule", "hour");
        job.put("kwsync.job.parameters", "startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24]");
        job.put("kwsync.job.destination-partition", "ds=${partition}");
        IngestSettings routedJob = read(job);
        assertTrue(routedJob.route().isPresent(), "a window job routes too: each run loads every table its records route to");
        assertEquals("ods_${topic|safe}", routedJob.job().orElseThrow().table(), "the job keeps the template as written");
    }
}
