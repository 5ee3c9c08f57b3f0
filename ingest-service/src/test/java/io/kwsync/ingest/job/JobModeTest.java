package io.kwsync.ingest.job;

import io.kwsync.ingest.IngestTopicsResource;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.JobMarkerCodec;
import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.model.job.LoadResult;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ingest-service in job mode on the real broker. The sink's part is played by the test: it publishes the load result
 * a sink would publish, on the real status topic.
 */
@QuarkusTest
@TestProfile(JobModeProfile.class)
@QuarkusTestResource(IngestTopicsResource.class)
class JobModeTest extends io.kwsync.ingest.BearerTokenTest {

    /** 2022-11-22 in GMT+8 as epoch millis at hh:mm. */
    static long at(int hour, int minute) {
        return Instant.parse("2022-11-22T00:00:00Z").plus(Duration.ofHours(hour - 8)).plus(Duration.ofMinutes(minute)).toEpochMilli();
    }

    @ConfigProperty(name = "kwsync.connector.name")
    String connector;
    @ConfigProperty(name = "kwsync.source.topics")
    String source;
    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static ProducerRecord<byte[], byte[]> record(String topic, int partition, long ts, String json) {
        return new ProducerRecord<>(topic, partition, ts, utf8("k"), utf8(json));
    }

    /** Rows and markers of one run on the rows topic. */
    record Published(List<RowEvent> rows, List<JobMarker> markers) {
    }

    Published published(String runId, int expectedRows) {
        List<RowEvent> rows = new ArrayList<>();
        List<JobMarker> markers = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TestKafka.read(rowsTopic, expectedRows, Duration.ofSeconds(30))) {
            if (JobMarkerCodec.isMarker(r.value())) {
                JobMarker m = JobMarkerCodec.decode(r.value());
                if (m.runId().equals(runId)) {
                    markers.add(m);
                    assertEquals(r.partition(), m.rowsPartition(), "a marker describes the partition it is in");
                }
            } else {
                RowEvent row = RowEventCodec.decode(r.value());
                if (runId.equals(row.jobId())) rows.add(row);
            }
        }
        return new Published(rows, markers);
    }

    void sinkSays(String runId, LoadResult.State state, Map<String, Long> written, String reason) {
        TestKafka.sendAll(List.of(new ProducerRecord<>(JobStatusTopic.defaultName(connector), 0, JobStatusTopic.key(JobStatusTopic.loadKey(runId)),
                JobStatusTopic.toJson(new LoadResult(runId, state, "people", written, 0, reason, TestClock.START.toEpochMilli())))));
    }

    JsonPath run(String id) {
        return given().get("/api/jobs/" + connector + "/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    String awaitState(String id, String state) {
        await().atMost(Duration.ofSeconds(60)).until(() -> state.equals(run(id).getString("run.state")));
        return state;
    }

    @Test
    void runWithParametersReadsExactlyTheWindowAndSucceedsWhenTheSinkCommits() throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        records.add(record(source, 0, at(8, 59), "{\"id\":1}"));          // before the window
        records.add(record(source, 0, at(9, 0), "{\"id\":2}"));           // first instant of the window
        records.add(record(source, 0, at(9, 30), "{\"id\":3}"));
        records.add(record(source, 1, at(9, 10), "{\"id\":4}"));
        records.add(record(source, 1, at(9, 20), "not json"));            // dirty, inside the window
        records.add(record(source, 1, at(9, 59) + 59_999, "{\"id\":5}")); // last millisecond of the window
        records.add(record(source, 1, at(10, 0), "{\"id\":6}"));          // end is exclusive
        records.add(record(source, 2, at(10, 30), "{\"id\":7}"));
        TestKafka.sendAll(records);

        String id = given().contentType(ContentType.JSON)
                .body(Map.of("parameters", Map.of("startTime", "20221122090000", "endTime", "20221122100000", "partition", "2022112210")))
                .post("/api/jobs/" + connector + "/runs").then().statusCode(202)
                .body("state", equalTo("QUEUED")).body("trigger", equalTo("API")).extract().path("id");
        awaitState(id, "LOADING");

        Published p = published(id, 4);
        assertEquals(List.of(2L, 3L, 4L, 5L), p.rows().stream().map(r -> (Long) r.columns().get("id")).sorted().toList());
        for (RowEvent r : p.rows()) assertEquals(Map.of("ds", "2022112210"), r.destination().partition());
        assertEquals(3, p.markers().size(), "one END marker per rows partition");
        assertEquals(4, p.markers().stream().mapToLong(JobMarker::rows).sum(), "markers count the rows");
        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read(errorTopic, 1, Duration.ofSeconds(20));
        assertEquals(1, errors.size());
        List<Header> h = new ArrayList<>();
        errors.get(0).headers().forEach(x -> h.add(new Header(x.key(), x.value())));
        assertEquals("DECODE", DeadLetter.header(h, DeadLetter.STAGE));

        JsonPath loading = run(id);
        assertEquals(5, loading.getInt("run.counts.read"));
        assertEquals(4, loading.getInt("run.counts.rows"));
        assertEquals(1, loading.getInt("run.counts.dirty"));
        assertEquals("2022-11-22T01:00:00Z", loading.getString("run.window.beginInstant"));
        assertEquals("ds=2022112210", loading.getString("run.windowKey"));
        assertEquals(List.of(0, 1, 2), loading.getList("run.partitions.partition"));
        assertEquals(List.of(1, 0, 0), loading.getList("run.partitions.start"), "offsets of the first record at or after 09:00");
        assertEquals(List.of(3, 3, 0), loading.getList("run.partitions.end"), "first record at or after 10:00, else the log end");

        sinkSays(id, LoadResult.State.COMMITTED, Map.of("ds=2022112210", 4L), null);
        awaitState(id, "SUCCEEDED");
        JsonPath done = run(id);
        assertEquals(4, done.getInt("run.written.'ds=2022112210'"));
        assertEquals(List.of(3, 3, 0), done.getList("run.partitions.position"));
        assertTrue(done.getLong("run.durationMillis") >= 0);

        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("connect-" + connector)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            assertEquals(3, committed.get(new TopicPartition(source, 0)).offset());
            assertEquals(3, committed.get(new TopicPartition(source, 1)).offset());
        }
    }

    @Test
    void badParametersAreRefusedWithTheReason() {
        given().contentType(ContentType.JSON).body(Map.of("parameters", Map.of("startTime", "2022-11-22", "endTime", "20221122100000",
                        "partition", "x")))
                .post("/api/jobs/" + connector + "/runs").then().statusCode(400)
                .body("error", equalTo("invalid_request")).body("message", containsString("yyyymmddhhmmss"));
        given().get("/api/jobs/someone-else").then().statusCode(404).body("error", equalTo("not_found"))
                .body("message", equalTo("no job named someone-else"));
        given().get("/api/jobs/" + connector + "/runs/nope").then().statusCode(404).body("message", equalTo("no run nope"));
    }

    /** Each mistake is a 400 (or 404, 405) in JSON naming what is wrong, and none of them queues a run. */
    @Test
    void mistakesInARunRequestAreRefusedAndQueueNothing() {
        String runs = "/api/jobs/" + connector + "/runs";
        int before = given().get(runs + "?limit=1000").then().statusCode(200).extract().jsonPath().getList("$").size();
        given().contentType(ContentType.JSON).body("{\"paramters\":{}}").post(runs).then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("message", equalTo("unknown field \"paramters\" (known fields: allowEmpty, parameters, scheduledTime)"));
        given().contentType(ContentType.JSON).body("{\"parameters\":{\"foo\":\"bar\"}}").post(runs).then().statusCode(400)
                .body("message", startsWith("unknown parameter 'foo': the job " + connector + " knows endTime, partition, startTime"));
        given().contentType(ContentType.JSON).body(Map.of("parameters", Map.of("startTime", "20221122090000", "endTime",
                "20221122090000", "partition", "2022112209"))).post(runs).then().statusCode(400)
                .body("message", containsString("is empty (its end equals its begin)"));
        given().contentType(ContentType.JSON).body("{\"parameters\":").post(runs).then().statusCode(400)
                .body("error", equalTo("invalid_json")).body("message", startsWith("the body is not valid JSON"));
        given().contentType(ContentType.JSON).body("{\"parameters\":\"x\"}").post(runs).then().statusCode(400)
                .body("message", equalTo("field \"parameters\" must be an object, got a string"));
        given().contentType(ContentType.JSON).body("{\"allowEmpty\":\"yes\"}").post(runs).then().statusCode(400)
                .body("message", equalTo("field \"allowEmpty\" must be true or false, got \"yes\""));
        given().contentType(ContentType.JSON).body("{\"parameters\":{\"partition\":\"x\\ud800\"}}").post(runs).then()
                .statusCode(400).body("message", containsString("lone UTF-16 surrogate"));
        given().contentType(ContentType.TEXT).body("startTime=1").post(runs).then().statusCode(415)
                .body("error", equalTo("unsupported_media_type"));
        given().get(runs + "?limit=abc").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("message", equalTo("limit must be a whole number from 1 to 1000, got 'abc'"));
        given().delete("/api/jobs/" + connector).then().statusCode(405).body("error", equalTo("method_not_allowed"));
        given().get("/api/nothing/here").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not_found")).body("message", equalTo("no such resource: /api/nothing/here"));
        given().get("/q/nothing").then().statusCode(404).contentType(ContentType.JSON).body("error", equalTo("not_found"));
        assertEquals(before, given().get(runs + "?limit=1000").then().extract().jsonPath().getList("$").size(), "no run was queued");
    }

    /** An empty window on purpose: the request says so, and the END markers tell the sink. */
    @Test
    void aRunAllowedToBeEmptySaysSoToTheSink() {
        String id = given().contentType(ContentType.JSON).body(Map.of("parameters", Map.of("startTime", "20221122070000",
                        "endTime", "20221122070000", "partition", "2022112207"), "allowEmpty", true))
                .post("/api/jobs/" + connector + "/runs").then().statusCode(202).body("allowEmpty", equalTo(true))
                .extract().path("id");
        awaitState(id, "LOADING");
        Published p = await().atMost(Duration.ofSeconds(60)).until(() -> published(id, 1), x -> x.markers().size() == 3);
        assertTrue(p.markers().stream().allMatch(m -> m.allowEmpty() && m.rows() == 0), p.markers().toString());
        sinkSays(id, LoadResult.State.COMMITTED, Map.of("ds=2022112207", 0L), null);
        awaitState(id, "SUCCEEDED");
    }

    @Test
    void theHourlyScheduleFiresAtAQuarterPastWithTheSpecsValuesAndRerunsAFailedLoad() {
        given().get("/api/jobs/" + connector).then().statusCode(200)
                .body("leader", equalTo(true))
                .body("schedule.nextSlot", equalTo("2022-11-22T10:15"))
                .body("schedule.nextSlotInstant", equalTo("2022-11-22T02:15:00Z"));
        TestClock.set(Instant.parse("2022-11-22T02:15:00Z")); // 10:15 in GMT+8
        String id = await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRun("2022-11-22T10:15"), r -> r != null);
        JsonPath first = run(id);
        assertEquals(Map.of("startTime", "20221122090000", "endTime", "20221122100000", "partition", "2022112210"),
                first.getMap("run.parameters"));
        assertEquals("SCHEDULE", first.getString("run.trigger"));
        awaitState(id, "LOADING");

        sinkSays(id, LoadResult.State.FAILED, Map.of(), "table people is locked");
        awaitState(id, "FAILED");
        JsonPath failed = run(id);
        assertTrue(failed.getString("run.error").contains("table people is locked"), failed.getString("run.error"));
        assertEquals(Instant.parse("2022-11-22T02:17:00Z").toEpochMilli(), failed.getLong("run.retryAt"), "the rerun waits 2 minutes");
        assertNull(failed.get("run.retriedBy"));

        TestClock.advance(Duration.ofMinutes(2));
        String retry = await().atMost(Duration.ofSeconds(30)).until(() -> run(id).getString("run.retriedBy"), r -> r != null);
        JsonPath second = run(retry);
        assertEquals(2, second.getInt("run.attempt"));
        assertEquals("RETRY", second.getString("run.trigger"));
        assertEquals(id, second.getString("run.retryOf"));
        assertEquals(first.getMap("run.parameters"), second.getMap("run.parameters"));
        awaitState(retry, "LOADING");
        sinkSays(retry, LoadResult.State.COMMITTED, Map.of("ds=2022112210", 0L), null);
        awaitState(retry, "SUCCEEDED");

        List<Map<String, Object>> runs = given().get("/api/jobs/" + connector + "/runs").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Integer> perSlot = new HashMap<>();
        for (Map<String, Object> r : runs) {
            if ("SCHEDULE".equals(r.get("trigger"))) perSlot.merge((String) r.get("scheduledTime"), 1, Integer::sum);
        }
        assertEquals(Map.of("2022-11-22T10:15", 1), perSlot, "the slot fired exactly once");

        // three hours pass at once (say the service was down): the missed slots run, oldest first, one at a time
        TestClock.set(Instant.parse("2022-11-22T05:15:00Z")); // 13:15 in GMT+8
        for (int hour = 11; hour <= 13; hour++) {
            String slot = "2022-11-22T" + hour + ":15";
            String run = await().atMost(Duration.ofSeconds(30)).until(() -> scheduledRun(slot), r -> r != null);
            assertEquals(Map.of("startTime", "20221122" + (hour - 1) + "0000", "endTime", "20221122" + hour + "0000",
                    "partition", "20221122" + hour), run(run).getMap("run.parameters"));
            awaitState(run, "LOADING");
            sinkSays(run, LoadResult.State.COMMITTED, Map.of("ds=20221122" + hour, 0L), null);
            awaitState(run, "SUCCEEDED");
        }
        given().get("/api/jobs/" + connector).then().body("schedule.lastSlot", equalTo("2022-11-22T13:15"))
                .body("schedule.nextSlot", equalTo("2022-11-22T14:15"));
    }

    String scheduledRun(String slot) {
        List<Map<String, Object>> runs = given().get("/api/jobs/" + connector + "/runs").then().extract().jsonPath().getList("$");
        return runs.stream().filter(r -> "SCHEDULE".equals(r.get("trigger")) && slot.equals(r.get("scheduledTime")))
                .map(r -> (String) r.get("id")).findFirst().orElse(null);
    }
}
