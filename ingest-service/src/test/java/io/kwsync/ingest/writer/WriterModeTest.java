package io.kwsync.ingest.writer;

import io.kwsync.model.DeadLetter;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ingest-service in writer mode on the real broker and MariaDB: runs requested over HTTP write the rows of one batch
 * of a table, a rerun writes nothing again, dirty rows go to the error topic and past the limit fail the run with
 * nothing visible to read_committed readers.
 */
@QuarkusTest
@TestProfile(WriterModeTest.Profile.class)
class WriterModeTest extends WriterApiTestBase {

    /** Orders by batch: id as a LONG key, a JSON value whose amount must be a number. */
    public static class Profile extends TableProfile {
        public Profile() {
            super("id BIGINT PRIMARY KEY, name VARCHAR(40), amount VARCHAR(20), batch VARCHAR(10)", Map.of(
                    "kwsync.writer.source.columns", "id, name, amount",
                    "kwsync.writer.source.where", "batch = '${batch}' ORDER BY id",
                    "kwsync.writer.key-index", "0",
                    "kwsync.writer.key-type", "LONG",
                    "kwsync.writer.write-mode", "json",
                    "kwsync.writer.column", "[{\"name\":\"id\",\"type\":\"JSON_NUMBER\"},\"name\",{\"name\":\"amount\",\"type\":\"JSON_NUMBER\"}]",
                    "kwsync.writer.error-limit", "5",
                    "kwsync.writer.batch-size", "16",
                    "kwsync.job.rerun-times", "0"));
        }
    }

    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;

    /** Rows 1..n of a batch; the ids in {@code dirty} get an amount that is no number. */
    void insert(String batch, int first, int n, List<Integer> dirty) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (int id = first; id < first + n; id++) {
            sql.append(id == first ? "" : ",").append("(").append(id).append(", 'name-").append(id).append("', '")
                    .append(dirty.contains(id) ? "n/a" : id + ".25").append("', '").append(batch).append("')");
        }
        TestDatabases.execute(TestDatabases.mariadbUrl(), sql.toString());
    }

    String request(String batch) {
        return given().contentType(ContentType.JSON).body("{\"parameters\":{\"batch\":\"" + batch + "\"}}")
                .post("/api/jobs/" + connector + "/runs").then().statusCode(202).extract().path("id");
    }

    JsonPath finished(String id) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            String state = given().get("/api/jobs/" + connector + "/runs/" + id).then().extract().path("run.state");
            return "SUCCEEDED".equals(state) || "FAILED".equals(state);
        });
        return run(id);
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : text(h.value());
    }

    @Test
    void aRunWritesItsRowsOnceAndDirtyRowsGoToTheErrorTopicWithTheirRowAndReason() {
        insert("a", 1, 100, List.of(40));
        String id = request("a");
        JsonPath run = finished(id);
        assertEquals("SUCCEEDED", run.getString("run.state"), run.prettify());
        assertEquals(99, run.getLong("run.written.'" + topic + "'"));
        assertEquals(100, run.getLong("run.counts.read"));
        assertEquals(1, run.getLong("run.counts.dirty"));
        assertTrue(run.getString("run.windowKey").endsWith("WHERE batch = 'a' ORDER BY id"), run.getString("run.windowKey"));

        List<ConsumerRecord<byte[], byte[]>> records = TestKafka.readCommitted(topic);
        assertEquals(99, records.size());
        TreeSet<Long> keys = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            long key = ByteBuffer.wrap(r.key()).getLong(); // LongSerializer: 8 bytes, big-endian
            keys.add(key);
            assertEquals("{\"id\":" + key + ",\"name\":\"name-" + key + "\",\"amount\":" + key + ".25}", text(r.value()));
        }
        assertEquals(99, keys.size());
        assertFalse(keys.contains(40L));

        List<ConsumerRecord<byte[], byte[]>> dead = errors(id, 1);
        ConsumerRecord<byte[], byte[]> d = dead.get(0);
        assertEquals("{\"id\":40,\"name\":\"name-40\",\"amount\":\"n/a\"}", text(d.value()), "the source row");
        assertEquals("40", header(d, DirtyRows.ROW), "the 40th row of the run");
        assertTrue(header(d, DeadLetter.REASON).contains("field 'amount' (JSON_NUMBER): 'n/a' cannot be converted"), header(d, DeadLetter.REASON));
        assertEquals(connector, header(d, DeadLetter.CONNECTOR));
        assertEquals(topic, header(d, DirtyRows.TARGET));
        assertTrue(header(d, DirtyRows.SOURCE).contains("batch = 'a'"));

        // the same window again: nothing is written twice
        String rerun = given().post("/api/jobs/" + connector + "/runs/" + id + "/rerun").then().statusCode(202).extract().path("id");
        JsonPath again = finished(rerun);
        assertEquals("SUCCEEDED", again.getString("run.state"));
        assertEquals(id, again.getString("run.alreadyWrittenBy"));
        assertEquals(0, again.getLong("run.written.'" + topic + "'"));
        assertEquals(99, TestKafka.readCommitted(topic).size());
        String requested = request("a");
        assertEquals(id, finished(requested).getString("run.alreadyWrittenBy"), "a run requested for the same rows is a rerun too");

        given().get("/api/jobs/" + connector).then().statusCode(200)
                .body("kind", org.hamcrest.Matchers.equalTo("kafka-writer"))
                .body("topic", org.hamcrest.Matchers.equalTo(topic))
                .body("exactlyOnce", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void aRunWithMoreDirtyRowsThanTheLimitFailsAndLeavesNoRecordButShowsItsDirtyRows() {
        insert("b", 1001, 50, List.of(1010, 1011, 1012, 1013, 1014, 1015));
        int before = TestKafka.readCommitted(topic).size();
        String id = request("b");
        JsonPath run = finished(id);
        assertEquals("FAILED", run.getString("run.state"));
        assertFalse(run.getBoolean("run.retriable"));
        assertNull(run.get("run.retryAt"));
        assertTrue(run.getString("run.error").contains("KWSYNC_WRITER_ERROR_LIMIT"), run.getString("run.error"));
        assertEquals(before, TestKafka.readCommitted(topic).size(), "none of the run's records is visible");
        List<ConsumerRecord<byte[], byte[]>> dead = errors(id, 6);
        List<String> rows = new ArrayList<>();
        dead.forEach(r -> rows.add(header(r, DirtyRows.ROW)));
        assertEquals(List.of("10", "11", "12", "13", "14", "15"), rows);
    }

    @Test
    void aRequestWhoseValueWouldChangeTheStatementIsRefused() {
        given().contentType(ContentType.JSON).body("{\"parameters\":{\"batch\":\"x' OR '1'='1\"}}")
                .post("/api/jobs/" + connector + "/runs").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("may not contain a quote"));
    }

    /** The committed dead letters of a run. */
    List<ConsumerRecord<byte[], byte[]>> errors(String runId, int expected) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : TestKafka.readCommitted(errorTopic)) if (runId.equals(header(r, DirtyRows.RUN))) out.add(r);
        out.sort(java.util.Comparator.comparingLong(r -> Long.parseLong(header(r, DirtyRows.ROW))));
        assertEquals(expected, out.size(), "dead letters of run " + runId);
        return out;
    }
}
