package io.kwsync.ingest;

import io.kwsync.ingest.format.TestRegistry;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.Header;
import io.kwsync.model.JsonText;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KWSYNC_VALUE_FORMAT=avro through the real broker and a real registry process of the test's own: records in the
 * registry framing become the columns a JSON object gives, undecodable ones go to the error topic with the reason,
 * and while the registry is down a record needing a new schema waits (readiness DOWN naming the registry, nothing
 * dead-lettered) until the registry is back.
 */
@QuarkusTest
@TestProfile(RegistryFormatIngestTest.Profile.class)
class RegistryFormatIngestTest extends IsolatedIngest {

    static final String SCHEMA = """
            {"type": "record", "name": "Order", "fields": [
              {"name": "id", "type": "long"}, {"name": "name", "type": "string"},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [{"name": "city", "type": "string"}]}}]}""";

    /** The registry process, started before the service so its URL is in the settings; restarted on the same port. */
    static final class Registry {
        static final Path DATA;
        static TestRegistry.Private process;
        static final String URL;

        static {
            try {
                DATA = Files.createTempDirectory("kwsync-registry").resolve("schemas");
                process = TestRegistry.start("--data", DATA.toString());
                URL = process.url();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static void restart() throws IOException {
            process = TestRegistry.start("--data", DATA.toString(), "--port", Integer.toString(URI.create(URL).getPort()));
        }
    }

    public static class Profile extends IsolatedIngest.Profile {
        @Override
        Map<String, String> settings() {
            return Map.of("kwsync.value.format", "avro", "kwsync.schema-registry.url", Registry.URL,
                    "kwsync.schema-registry.connect-timeout", "1s", "kwsync.schema-registry.request-timeout", "2s",
                    "partitions", "1");
        }
    }

    @AfterAll
    static void stopRegistry() {
        Registry.process.close();
    }

    static byte[] avro(String schema, Map<String, Object> fields) {
        Schema s = new Schema.Parser().parse(schema);
        GenericRecord r = new GenericData.Record(s);
        fields.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m) {
                GenericRecord nested = new GenericData.Record(s.getField(k).schema());
                m.forEach((nk, nv) -> nested.put((String) nk, nv));
                r.put(k, nested);
            } else {
                r.put(k, v);
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(s).write(r, enc);
            enc.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, 0, key.getBytes(StandardCharsets.UTF_8), value);
    }

    @Test
    void avroRecordsBecomeColumnsAndWaitForTheRegistry() throws IOException {
        int id = TestRegistry.register(Registry.URL, source + "-value", "AVRO", SCHEMA);
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("id", 7L);
        order.put("name", "first");
        order.put("note", null);
        order.put("address", Map.of("city", "Hangzhou"));
        TestKafka.sendAll(List.of(
                record(source, "ok", TestRegistry.frame(id, avro(SCHEMA, order))),
                record(source, "json", "{\"id\": 1}".getBytes(StandardCharsets.UTF_8)),
                record(source, "unknown", TestRegistry.frame(99_999, avro(SCHEMA, order)))));

        RowEvent row = RowEventCodec.decode(TestKafka.read(rowsTopic, 1, Duration.ofSeconds(60)).get(0).value());
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 7L);
        expected.put("name", "first");
        expected.put("note", null);
        expected.put("address", new JsonText("{\"city\":\"Hangzhou\"}"));
        assertEquals(expected, row.columns());
        List<ConsumerRecord<byte[], byte[]>> errors = TestKafka.read(errorTopic, 2, Duration.ofSeconds(30));
        assertEquals(2, errors.size());
        assertTrue(reason(errors, "json").startsWith("value starts with byte 0x7b, not the schema registry framing"), reason(errors, "json"));
        assertTrue(reason(errors, "unknown").contains("is not in the schema registry"), reason(errors, "unknown"));

        String v2 = SCHEMA.replace("{\"name\": \"id\", \"type\": \"long\"},", "{\"name\": \"id\", \"type\": \"long\"}, {\"name\": \"qty\", \"type\": \"int\", \"default\": 0},");
        int id2 = TestRegistry.register(Registry.URL, source + "-value", "AVRO", v2);
        Registry.process.close();
        order.put("qty", 3);
        TestKafka.sendAll(List.of(record(source, "late", TestRegistry.frame(id2, avro(v2, order)))));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'schema-registry' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'schema-registry' }.data.registry", equalTo(Registry.URL))
                .body("checks.find { it.name == 'schema-registry' }.data.reason", containsString("nothing is dead-lettered")));
        assertEquals(2, TestKafka.read(errorTopic, 3, Duration.ofSeconds(3)).size(), "an unreachable registry dead-letters nothing");

        Registry.restart();
        List<ConsumerRecord<byte[], byte[]>> rows = TestKafka.read(rowsTopic, 2, Duration.ofSeconds(60));
        assertEquals(2, rows.size());
        RowEvent late = RowEventCodec.decode(rows.get(1).value());
        assertEquals(3L, late.columns().get("qty"));
        assertEquals(7L, late.columns().get("id"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static String reason(List<ConsumerRecord<byte[], byte[]>> errors, String key) {
        for (ConsumerRecord<byte[], byte[]> r : errors) {
            if (!key.equals(new String(r.key(), StandardCharsets.UTF_8))) continue;
            List<Header> headers = new java.util.ArrayList<>();
            r.headers().forEach(h -> headers.add(new Header(h.key(), h.value())));
            assertEquals("DECODE", DeadLetter.header(headers, DeadLetter.STAGE));
            return DeadLetter.header(headers, DeadLetter.REASON);
        }
        throw new AssertionError("no dead letter for " + key);
    }
}
