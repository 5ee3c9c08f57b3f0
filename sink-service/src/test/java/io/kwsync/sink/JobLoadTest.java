package io.kwsync.sink;

import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.model.job.JobMarker;
import io.kwsync.model.job.JobMarkerCodec;
import io.kwsync.model.job.JobStatusTopic;
import io.kwsync.model.job.LoadResult;
import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Job rows and markers through the real rows topic: staged, replaced at once, result on the status topic. */
@QuarkusTest
@WithTestResource(SinkTopicsResource.class)
class JobLoadTest {

    static final String DB = TestDatabases.mariadbUrl();

    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.connector.name")
    String connector;

    @Test
    void aRunSpreadOverEveryRowsPartitionIsCommittedAtOnceAndReported() {
        String table = TestKafka.unique("jobsink").replace('-', '_');
        TestDatabases.execute(DB, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, amount DECIMAL(10,2), ds VARCHAR(10))",
                "INSERT INTO " + table + " VALUES (900, 1, '20221121'), (901, 1, '20221122')");
        String run = TestKafka.unique("run");
        String src = TestKafka.unique("src");
        Destination partition = new Destination(table, Map.of("ds", "20221122"));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        long[] perPartition = new long[3];
        for (int i = 0; i < 90; i++) {
            int sourcePartition = i % 3;
            RowEvent row = new RowEvent(new Origin(src, sourcePartition, i / 3, 1_669_082_400_000L, null, List.of()), partition,
                    Map.of("id", (long) i, "amount", new java.math.BigDecimal(i + ".50")), run);
            records.add(new ProducerRecord<>(rowsTopic, sourcePartition, null, RowEventCodec.encode(row)));
            perPartition[sourcePartition]++;
        }
        records.add(new ProducerRecord<>(rowsTopic, 0, null, RowEventCodec.encode(new RowEvent(
                new Origin("streaming-src", 0, 0, 0, null, List.of()), Destination.table(table), Map.of("id", 5000L)))));
        for (int p = 0; p < 3; p++) {
            records.add(new ProducerRecord<>(rowsTopic, p, null, JobMarkerCodec.encode(
                    new JobMarker(JobMarker.Kind.END, run, List.of(partition), 3, p, perPartition[p]))));
        }
        TestKafka.sendAll(records);

        String status = JobStatusTopic.defaultName(connector);
        LoadResult result = await().atMost(Duration.ofSeconds(60)).until(() -> loadResult(status, run), r -> r != null);
        assertEquals(LoadResult.State.COMMITTED, result.state(), String.valueOf(result.reason()));
        assertEquals(Map.of("ds=20221122", 90L), result.written());
        assertEquals(90, TestDatabases.count(DB, table + " WHERE ds = '20221122'"), "SELECT count(*) of the partition");
        assertEquals(1, TestDatabases.count(DB, table + " WHERE ds = '20221121'"));
        assertEquals(0, TestDatabases.count(DB, table + " WHERE id = 901"), "the partition's old row is replaced");
        await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabases.count(DB, table + " WHERE id = 5000") == 1);
        assertEquals(0, TestDatabases.query(DB, "SELECT * FROM kwsync_offsets WHERE source_topic = '" + src + "'").size(),
                "job rows never touch the streaming progress table");
        given().get("/q/metrics").then().body(containsString("kwsync_job_loads_total{state=\"committed\"}"));
    }

    static LoadResult loadResult(String statusTopic, String run) {
        for (ConsumerRecord<byte[], byte[]> r : TestKafka.read(statusTopic, 0, Duration.ofSeconds(2))) {
            if (new String(r.key(), StandardCharsets.UTF_8).equals(JobStatusTopic.loadKey(run))) {
                return JobStatusTopic.fromJson(r.value(), LoadResult.class);
            }
        }
        return null;
    }
}
