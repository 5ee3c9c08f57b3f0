package io.kwsync.ingest.job;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.ingest.config.IngestMode;
import io.kwsync.ingest.config.JobConfig;
import io.kwsync.ingest.config.JobDefinition;
import io.kwsync.ingest.config.RawSettings;
import io.kwsync.model.Destination;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.ingest.schedule.ExpressionException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The job settings as an operator writes them, through the real configuration machinery. */
class JobDefinitionTest {

    static Map<String, String> hourly() {
        Map<String, String> p = new HashMap<>();
        p.put("kwsync.connector.name", "orders-job");
        p.put("kwsync.source.topics", "orders");
        p.put("kwsync.destination.table", "orders");
        p.put("kwsync.rows.topic", "kwsync-rows-orders-job");
        p.put("kwsync.error.topic", "connect-error-orders-job");
        p.put("kwsync.ingest.mode", "job");
        p.put("kwsync.job.parameters", "startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24]");
        p.put("kwsync.job.destination-partition", "ds=${partition}");
        p.put("kwsync.job.schedule", "hour");
        p.put("kwsync.job.schedule-start", "00:15");
        return p;
    }

    static InvalidConfigurationException.Collector problems;

    static JobDefinition define(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(JobConfig.class).withMapping(IngestConfig.class)
                .withMapping(IngestMode.class).withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(properties).build();
        problems = new InvalidConfigurationException.Collector();
        return JobDefinition.from(config.getConfigMapping(JobConfig.class), config.getConfigMapping(IngestConfig.class),
                RawSettings.of(config), problems);
    }

    static String problem(Map<String, String> properties) {
        assertNull(define(properties), "expected a problem");
        return assertThrows(InvalidConfigurationException.class, problems::throwIfAny).getMessage();
    }

    @Test
    void theSpecsHourlyJob() {
        JobDefinition d = define(hourly());
        assertEquals("orders", d.topic());
        assertEquals("ds=${partition}", d.destinationPartition().toString(), "kept as written, not expanded as a config expression");
        assertEquals("${startTime}", d.begin().dateTime().toString(), "the default window begin");
        assertEquals("${endTime}", d.end().dateTime().toString());
        assertEquals("GMT+08:00", d.zone().getId());
        assertEquals("every 1 hours from 00:15 to 23:59", d.schedule().toString());
        assertEquals(3, d.rerunTimes());
        assertEquals("connect-status-orders-job", d.statusTopic());
        RunWindow r = RunWindow.resolve(d, d.parameters().evaluate(java.time.LocalDateTime.parse("2022-11-22T10:15")));
        assertEquals(new Destination("orders", Map.of("ds", "2022112210")), r.main());
        assertEquals("2022-11-22T01:00:00Z", r.begin().toString());
        assertEquals("2022-11-22T02:00:00Z", r.end().toString());
        assertNull(r.late());
    }

    @Test
    void offsetsUnpartitionedTablesAndBusinessDates() {
        Map<String, String> p = hourly();
        p.put("kwsync.job.schedule", "day");
        p.put("kwsync.job.parameters", "day=${yyyymmdd}");
        p.put("kwsync.job.begin-offset", "seekToLast");
        p.put("kwsync.job.end-offset", "seekToEnd");
        p.put("kwsync.job.destination-partition", "none");
        JobDefinition d = define(p);
        assertEquals("day=${yyyymmdd}", d.parameters().toString());
        assertNull(d.destinationPartition());
        RunWindow r = RunWindow.resolve(d, Map.of());
        assertEquals("seektolast", r.beginOffset().keyword());
        assertEquals(List.of(Destination.table("orders")), r.replaces());
    }

    @Test
    void eachMistakeNamesItsVariable() {
        Map<String, String> p = hourly();
        p.remove("kwsync.job.destination-partition");
        assertTrue(problem(p).contains("KWSYNC_JOB_DESTINATION_PARTITION (kwsync.job.destination-partition) is required"));

        p = hourly();
        p.put("kwsync.source.topics", "a,b");
        assertTrue(problem(p).contains("KWSYNC_SOURCE_TOPICS"));

        p = hourly();
        p.put("kwsync.job.begin-offset", "5");
        p.put("kwsync.job.begin-date-time", "${startTime}");
        assertTrue(problem(p).contains("KWSYNC_JOB_BEGIN_OFFSET (kwsync.job.begin-offset) and KWSYNC_JOB_BEGIN_DATE_TIME are both set"));

        p = hourly();
        p.put("kwsync.job.begin-offset", "seekToSomewhere");
        assertTrue(problem(p).contains("is not an offset"));

        p = hourly();
        p.put("kwsync.job.parameters", "startTime=$[yyyymmddhh-1/24]0000");
        String m = problem(p);
        assertTrue(m.contains("KWSYNC_JOB_PARAMETERS") && m.contains("hh24"), m);

        p = hourly();
        p.put("kwsync.job.parameters", "startTime=$[yyyymmddhh24-1/24]0000 endTime=$[yyyymmddhh24]0000");
        m = problem(p);
        assertTrue(m.contains("does not define [partition]"), m);

        p = hourly();
        p.put("kwsync.job.time-zone", "Mars/Olympus");
        assertTrue(problem(p).contains("KWSYNC_JOB_TIME_ZONE"));

        p = hourly();
        p.put("kwsync.job.schedule", "week");
        assertTrue(problem(p).contains("day of the week"));

        p = hourly();
        p.put("kwsync.job.start", "previous-run");
        p.put("kwsync.job.skip-exceed-record", "true");
        assertTrue(problem(p).contains("KWSYNC_JOB_SKIP_EXCEED_RECORD"));

        p = hourly();
        p.put("kwsync.job.destination-partition", "ds");
        assertTrue(problem(p).contains("not a partition spec"));

        p = hourly();
        p.put("kwsync.job.begin-date-time", "2022-11-22");
        assertTrue(problem(p).contains("yyyymmddhhmmss"));
    }

    @Test
    void aRunOnRequestNeedsNoDefinedParameters() {
        Map<String, String> p = hourly();
        p.remove("kwsync.job.parameters");
        p.put("kwsync.job.schedule", "none");
        p.put("kwsync.job.late-partition", "ds=${partition}_late");
        JobDefinition d = define(p);
        RunWindow r = RunWindow.resolve(d, Map.of("startTime", "20221122090000", "endTime", "20221122100000",
                "partition", "2022112210"));
        assertEquals(List.of(new Destination("orders", Map.of("ds", "2022112210")), new Destination("orders", Map.of("ds", "2022112210_late"))),
                r.replaces());
        assertEquals("ds=2022112210 + ds=2022112210_late", r.windowKey());
        assertThrows(ExpressionException.class, () -> RunWindow.resolve(d, Map.of("startTime", "20221122100000",
                "endTime", "20221122090000", "partition", "x")), "a window that ends before it begins");
        assertThrows(ExpressionException.class, () -> RunWindow.resolve(d, Map.of()), "values are missing");
    }

    @Test
    void aWindowTheSettingsMakeEmptyOrBackwardsIsRefusedAtStart() {
        Map<String, String> p = hourly();
        p.remove("kwsync.job.schedule");
        p.put("kwsync.job.begin-offset", "500");
        p.put("kwsync.job.end-offset", "100");
        assertTrue(problem(p).contains("KWSYNC_JOB_END_OFFSET (kwsync.job.end-offset) is before the window's begin (500 and 100)"),
                problem(p));
        p.put("kwsync.job.end-offset", "500");
        assertTrue(problem(p).contains("KWSYNC_JOB_END_OFFSET (kwsync.job.end-offset) equals the window's begin"), problem(p));
        p.put("kwsync.job.end-offset", "seekToEnd");
        assertTrue(define(p) != null, "a keyword end cannot be compared now");

        Map<String, String> t = hourly();
        t.put("kwsync.job.parameters", "startTime=$[yyyymmddhh24]0000 endTime=$[yyyymmddhh24]0000 partition=$[yyyymmddhh24]");
        assertTrue(problem(t).contains("KWSYNC_JOB_PARAMETERS (kwsync.job.parameters) gives windows whose end equals the window's begin"),
                problem(t));
        t.put("kwsync.job.begin-date-time", "20221122100000");
        t.put("kwsync.job.end-date-time", "20221122090000");
        assertTrue(problem(t).contains("KWSYNC_JOB_END_DATE_TIME (kwsync.job.end-date-time) is before the window's begin"), problem(t));
    }
}
