package io.kwsync.sink;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** sink-service with KWSYNC_SINK_TYPE=maxcompute: rows topic -> tunnel sessions -> partitions of the emulator. */
@QuarkusTest
@QuarkusTestResource(value = MaxComputeSinkResource.class, restrictToAnnotatedClass = true)
class MaxComputeSinkTest {

    MaxComputeEmulator emulator;

    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.maxcompute.table", defaultValue = "unset")
    String table;
    @ConfigProperty(name = "kwsync.api.token")
    String token;

    @Test
    void theTableIsCreatedAtStartAndRowsLandInTheirHourPartitionsOnce() {
        assertEquals(table + " (topic STRING, partition BIGINT, offset BIGINT, key STRING, value STRING) PARTITIONED BY (pt STRING)"
                + " LIFECYCLE 36500", emulator.describe(MaxComputeSinkResource.PROJECT, table));
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int n = 600;
        for (int i = 0; i < n; i++) {
            int partition = i % 3;
            long offset = i / 3;
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("topic", "orders");
            c.put("partition", (long) partition);
            c.put("offset", offset);
            c.put("key", "k" + i);
            c.put("value", "{\"i\":" + i + "}");
            String pt = offset < 100 ? "11-17-2020 14" : "11-17-2020 15";
            RowEvent r = new RowEvent(new Origin("orders", partition, offset, 0, null, List.of()), new Destination("ignored", Map.of("pt", pt)), c);
            records.add(new ProducerRecord<>(rowsTopic, partition, null, RowEventCodec.encode(r)));
        }
        TestKafka.sendAll(records);
        records.addAll(records.subList(0, 90)); // ingest-service re-publishing after a restart
        TestKafka.sendAll(records.subList(n, n + 90));

        await().atMost(Duration.ofSeconds(60)).until(() -> emulator.rowCount(MaxComputeSinkResource.PROJECT, table) >= n);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("kwsync_rows_duplicate_total 90.0")));
        assertEquals(n, emulator.rowCount(MaxComputeSinkResource.PROJECT, table), "exactly once");
        assertEquals(300, emulator.rows(MaxComputeSinkResource.PROJECT, table, "pt=11-17-2020 14").size());
        assertEquals(300, emulator.rows(MaxComputeSinkResource.PROJECT, table, "pt=11-17-2020 15").size());
        given().get("/q/health/ready").then().statusCode(200).body(containsString("destination"));
    }

    @Test
    void theGeneratedTableSchemaFollowsTheTopicAndTheParsedColumns() {
        given().auth().oauth2(token).queryParam("topic", "maxcompute-test-input").queryParam("columns", "a.a1,c[1],d[0].AA,amount:DECIMAL(18,2)")
                .queryParam("partitions", "ds")
                .get("/api/maxcompute/ddl").then().statusCode(200).body(equalTo("""
                        CREATE TABLE IF NOT EXISTS `maxcompute_test_input` (
                          `__key__` STRING,
                          `__value__` STRING,
                          `__partition__` BIGINT,
                          `__headers__` STRING,
                          `__offset__` BIGINT,
                          `__timestamp__` BIGINT,
                          `a_a1` STRING,
                          `c_1` STRING,
                          `d_0_aa` STRING,
                          `amount` DECIMAL(18,2)
                        )
                        PARTITIONED BY (`ds` STRING)
                        LIFECYCLE 36500;
                        """));
        given().auth().oauth2(token).queryParam("topic", "t").queryParam("columns", "x:NOPE").get("/api/maxcompute/ddl").then().statusCode(400)
                .body(containsString("unknown MaxCompute type 'NOPE'"));
        given().auth().oauth2(token).get("/api/maxcompute/ddl").then().statusCode(400).body(containsString("topic is required"));
        given().auth().oauth2(token).queryParam("topic", "t").queryParam("layout", "key-value").queryParam("lifecycle", "7")
                .get("/api/maxcompute/ddl").then().statusCode(200).body(containsString("`offset` BIGINT"))
                .body(containsString("PARTITIONED BY (`pt` STRING)\nLIFECYCLE 7;"));
        // a primary key, in any case, makes the transactional table that upserts need
        given().auth().oauth2(token).queryParam("topic", "t").queryParam("layout", "key-value").queryParam("partitions", "PT")
                .queryParam("primaryKey", "Topic,partition,OFFSET").get("/api/maxcompute/ddl").then().statusCode(200)
                .body(containsString("`topic` STRING NOT NULL,\n  `partition` BIGINT NOT NULL,\n  `offset` BIGINT NOT NULL,\n  `key` STRING,"))
                .body(containsString("  PRIMARY KEY (`topic`, `partition`, `offset`)\n)\nPARTITIONED BY (`PT` STRING)\n"
                        + "TBLPROPERTIES (\"transactional\"=\"true\")\nLIFECYCLE 36500;"));
        given().auth().oauth2(token).queryParam("topic", "t").queryParam("primaryKey", "nope").get("/api/maxcompute/ddl").then()
                .statusCode(400).body(containsString("primary key column 'nope' is not a column of the table"));
        given().auth().oauth2(token).queryParam("topic", "t").queryParam("layout", "key-value").queryParam("partitions", "KEY")
                .get("/api/maxcompute/ddl").then().statusCode(400).body(containsString("'KEY' is both a column and a partition column"));
        // MaxCompute's three-level model: the statement names project.schema.table and switches its syntax on
        given().auth().oauth2(token).queryParam("table", "proj.sales.orders").queryParam("layout", "key-value")
                .get("/api/maxcompute/ddl").then().statusCode(200)
                .body(startsWith("SET odps.namespace.schema=true;\nCREATE TABLE IF NOT EXISTS `proj`.`sales`.`orders` (\n"));
        given().auth().oauth2(token).queryParam("table", "sales.orders").get("/api/maxcompute/ddl").then().statusCode(400)
                .body(containsString("'sales.orders' is not a table name: use table or project.schema.table"));
    }
}
