package io.kwsync.ingest.writer;

import io.kwsync.ingest.job.TestClock;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Kafka Writer on a schedule: an hourly job whose condition takes the slot's hour; when the test's clock reaches
 * the next slot, the scheduler queues the run and it writes that hour's rows.
 */
@QuarkusTest
@TestProfile(WriterScheduleTest.Profile.class)
class WriterScheduleTest extends WriterApiTestBase {

    /** An hourly job from 00:15 (UTC+8) whose condition takes the slot's hour; the value is the id. */
    public static class Profile extends TableProfile {
        public Profile() {
            super("id BIGINT PRIMARY KEY, slot_hour VARCHAR(10)", Map.of(
                    "kwsync.writer.source.columns", "id, slot_hour",
                    "kwsync.writer.source.where", "slot_hour = '${hour}'",
                    "kwsync.writer.value-index", "0",
                    "kwsync.job.parameters", "hour=$[yyyymmddhh24]",
                    "kwsync.job.time-zone", "GMT+08:00",
                    "kwsync.job.schedule", "hour",
                    "kwsync.job.schedule-start", "00:15"));
        }
    }

    @Test
    void theNextSlotWritesItsHoursRows() {
        // the schedule starts once the leader has recorded where it begins; the next slot is then fixed
        await().atMost(Duration.ofSeconds(30)).until(
                () -> given().get("/api/jobs/" + connector).then().extract().<String>path("schedule.lastSlot"), s -> s != null);
        String next = given().get("/api/jobs/" + connector).then().extract().path("schedule.nextSlot");
        String hour = LocalDateTime.parse(next).format(DateTimeFormatter.ofPattern("yyyyMMddHH"));
        TestDatabases.execute(TestDatabases.mariadbUrl(), "INSERT INTO " + table + " VALUES (1, '" + hour + "'), (2, '" + hour
                + "'), (3, 'other')");
        String instant = given().get("/api/jobs/" + connector).then().extract().path("schedule.nextSlotInstant");
        TestClock.set(Instant.parse(instant));

        String id = await().atMost(Duration.ofSeconds(30)).until(() -> scheduled(next), r -> r != null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SUCCEEDED".equals(run(id).getString("run.state")));
        JsonPath run = run(id);
        assertEquals(hour, run.getString("run.parameters.hour"));
        assertEquals(2, run.getLong("run.written.'" + topic + "'"));
        assertEquals(List.of("1", "2"), TestKafka.readCommitted(topic).stream().map(r -> new String(r.value())).sorted().toList());
    }

    String scheduled(String slot) {
        List<Map<String, Object>> runs = given().get("/api/jobs/" + connector + "/runs").then().extract().path("$");
        return runs.stream().filter(r -> "SCHEDULE".equals(r.get("trigger")) && slot.equals(r.get("scheduledTime")))
                .map(r -> (String) r.get("id")).findFirst().orElse(null);
    }
}
