package io.kwsync.ingest.format;

import io.kwsync.testing.TestKafka;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end through the real broker and the real registry: schemas registered under {@code <topic>-value} as the
 * serializers register them, records written by Avro's and protobuf-java's own writers in the registry framing,
 * produced to a topic, consumed back, decoded, and compared with the columns of the equivalent JSON object.
 */
class RegistryRoundTripTest {

    private static List<ConsumerRecord<byte[], byte[]>> roundTrip(String topic, byte[] key, byte[] value) {
        TestKafka.createTopic(topic, 1);
        TestKafka.sendAll(List.of(new ProducerRecord<>(topic, key, value)));
        List<ConsumerRecord<byte[], byte[]>> got = TestKafka.read(topic, 1, Duration.ofSeconds(30));
        assertEquals(1, got.size());
        return got;
    }

    @Test
    void avro() {
        String topic = TestKafka.unique("avro-orders");
        int id = TestRegistry.register(topic + "-value", "AVRO", AvroDecoderTest.ORDER_SCHEMA);
        int keyId = TestRegistry.register(topic + "-key", "AVRO", "\"long\"");
        byte[] value = TestRegistry.frame(id, AvroDecoderTest.write(AvroDecoderTest.SCHEMA, AvroDecoderTest.order()));
        byte[] key = TestRegistry.frame(keyId, AvroDecoderTest.write(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG), 42L));
        ConsumerRecord<byte[], byte[]> r = roundTrip(topic, key, value).get(0);
        AvroDecoder decoder = AvroDecoder.withRegistry(TestRegistry.client());
        Object tree = ((Decoded.Tree) decoder.decode(r.value(), "value")).root();
        Equivalence.columnsLikeJson(tree, AvroDecoderTest.ORDER_JSON, Map.of("raw", new byte[]{1, 2, 3}));
        assertEquals(42L, ((Decoded.Tree) decoder.decode(r.key(), "key")).root());

        Map<?, ?> some = (Map<?, ?>) ((Decoded.Tree) decoder.only(java.util.Set.of("tags", "price", "address"))
                .decode(r.value(), "value")).root();
        assertEquals(List.of("price", "address", "tags"), List.copyOf(some.keySet()), "schema order, the rest skipped");
        assertEquals(((Map<?, ?>) tree).get("address"), some.get("address"));
        assertEquals(((Map<?, ?>) tree).get("price"), some.get("price"));

        byte[] wrongMagic = value.clone();
        wrongMagic[0] = 0x7B; // '{': JSON on an Avro topic
        assertTrue(TestRegistry.dirty(() -> decoder.decode(wrongMagic, "value")).getMessage()
                .startsWith("value starts with byte 0x7b, not the schema registry framing's magic byte 0x00"));
        assertTrue(TestRegistry.dirty(() -> decoder.decode(new byte[]{0, 0, 1}, "key")).getMessage()
                .startsWith("key has 3 bytes, too short for the schema registry framing"));
        byte[] unknownId = value.clone();
        unknownId[1] = 0x7F;
        assertTrue(TestRegistry.dirty(() -> decoder.decode(unknownId, "value")).getMessage().contains("is not in the schema registry"));
        int protoId = TestRegistry.register(topic + "-proto", "PROTOBUF", "syntax = \"proto3\"; message A { int32 x = 1; }");
        assertTrue(TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(protoId, new byte[0]), "value")).getMessage()
                .contains("a PROTOBUF schema, but the format is Avro"));
        byte[] truncated = java.util.Arrays.copyOf(value, value.length - 4);
        assertTrue(TestRegistry.dirty(() -> decoder.decode(truncated, "value")).getMessage()
                .startsWith("value is not Avro of schema id " + id + " (truncated or written with another schema)"));
    }

    @Test
    void protobuf() {
        String topic = TestKafka.unique("proto-orders");
        int id = TestRegistry.register(topic + "-value", "PROTOBUF", ProtobufDecoderTest.PROTO);
        ConsumerRecord<byte[], byte[]> r = roundTrip(topic, null,
                TestRegistry.frame(id, ProtobufDecoderTest.order().toByteArray(), 0)).get(0);
        Object tree = ((Decoded.Tree) new ProtobufDecoder(TestRegistry.client()).decode(r.value(), "value")).root();
        Equivalence.columnsLikeJson(tree, ProtobufDecoderTest.ORDER_JSON, Map.of("raw", new byte[]{1, 2, 3}));
    }

    @Test
    void jsonSchema() {
        String topic = TestKafka.unique("json-orders");
        String schema = """
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "address": {"type": "object"}}}""";
        int id = TestRegistry.register(topic + "-value", "JSON", schema);
        String json = "{\"id\": 42, \"name\": \"ada\", \"address\": {\"city\": \"Oslo\"}, \"price\": 12.50}";
        ConsumerRecord<byte[], byte[]> r = roundTrip(topic, null, TestRegistry.frame(id, json.getBytes(StandardCharsets.UTF_8))).get(0);
        JsonSchemaDecoder decoder = new JsonSchemaDecoder(TestRegistry.client());
        Decoded.Json decoded = (Decoded.Json) decoder.decode(r.value(), "value");
        assertEquals(json, new String(decoded.json(), StandardCharsets.UTF_8), "the JSON after the framing, as it was");
        Equivalence.columnsLikeJson(JsonTrees.parse(decoded.json(), "value"), json, Map.of());

        int avroId = TestRegistry.register(topic + "-other", "AVRO", "\"string\"");
        TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(avroId, json.getBytes(StandardCharsets.UTF_8)), "value"));
        TestRegistry.dirty(() -> decoder.decode(json.getBytes(StandardCharsets.UTF_8), "value"));
        TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(987_654, json.getBytes(StandardCharsets.UTF_8)), "value"));
    }
}
