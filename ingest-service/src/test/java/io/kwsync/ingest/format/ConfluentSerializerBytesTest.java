package io.kwsync.ingest.format;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Records written by Confluent's own serializers: the JavaScript client {@code @confluentinc/schemaregistry} 1.10.1
 * (npm), run once against the local registry (its AvroSerializer with the schema below; its ProtobufSerializer, which
 * registers the schema as a base64 FileDescriptorProto, for a message that is the second of its file and for a
 * nested one), its output kept verbatim. The Java serializers are not on Maven Central, so this is the closest to
 * them a test here can get. The schemas are registered again and the ids in the stored bytes replaced by the new
 * ones; the rest of each record is exactly as Confluent's code wrote it.
 */
class ConfluentSerializerBytesTest {

    static final String AVRO_SCHEMA = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"cjs\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"name\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null},"
            + "{\"name\":\"price\",\"type\":{\"type\":\"bytes\",\"logicalType\":\"decimal\",\"precision\":10,\"scale\":2}},"
            + "{\"name\":\"tags\",\"type\":{\"type\":\"array\",\"items\":\"string\"}},"
            + "{\"name\":\"address\",\"type\":{\"type\":\"record\",\"name\":\"Address\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}}]}";
    /** serialize('cjs-orders', {id: 42, name: 'ada', note: 'hi', price: 0x04e2, tags: ['a', 'b'], address: {city: 'Oslo'}}) */
    static final String AVRO_BYTES = "00000000115406616461020468690404e2040261026200084f736c6f";

    static final String PROTO_DESCRIPTOR = "Cg9janMvb3JkZXIucHJvdG8SA2NqcxofZ29vZ2xlL3Byb3RvYnVmL3RpbWVzdGFtcC5wcm90byIVCgVPdGhlchI"
            + "MCgF4GAEgASgJUgF4IpYCCgVPcmRlchIOCgJpZBgBIAEoA1ICaWQSEgoEbmFtZRgCIAEoCVIEbmFtZRISCgR0YWdzGAMgAygJUgR0YWdzEiwKB2Fk"
            + "ZHJlc3MYBCABKAsyEi5janMuT3JkZXIuQWRkcmVzc1IHYWRkcmVzcxIqCgJhdBgFIAEoCzIaLmdvb2dsZS5wcm90b2J1Zi5UaW1lc3RhbXBSAmF0Ei"
            + "kKBnN0YXR1cxgGIAEoDjIRLmNqcy5PcmRlci5TdGF0dXNSBnN0YXR1cxIUCgVyYXRpbxgHIAEoAVIFcmF0aW8aHQoHQWRkcmVzcxISCgRjaXR5GAEg"
            + "ASgJUgRjaXR5IhsKBlN0YXR1cxIHCgNORVcQABIICgRQQUlEEAFiBnByb3RvMw==";
    /** cjs.Order {id: 42, name: 'ada', tags: ['a', 'b'], address: {city: 'Oslo'}, at: 1706696130.123 s, status: PAID, ratio: 0.25} */
    static final String PROTO_BYTES = "00000000130202082a12036164611a01611a016222060a044f736c6f2a0b08c2bbe8ad0610c0a9d33a300139000000000000d03f";
    /** cjs.Order.Address {city: 'Bergen'}: message indexes [1, 0] */
    static final String NESTED_BYTES = "00000000130402000a0642657267656e";

    private static byte[] withId(String hex, int id) {
        byte[] b = HexFormat.of().parseHex(hex);
        b[1] = (byte) (id >>> 24);
        b[2] = (byte) (id >>> 16);
        b[3] = (byte) (id >>> 8);
        b[4] = (byte) id;
        return b;
    }

    @Test
    void avroFromConfluentsSerializer() {
        int id = TestRegistry.register("kwsync-test-cjs-orders-value", "AVRO", AVRO_SCHEMA);
        Object tree = ((Decoded.Tree) AvroDecoder.withRegistry(TestRegistry.client()).decode(withId(AVRO_BYTES, id), "value")).root();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 42L);
        expected.put("name", "ada");
        expected.put("note", "hi");
        expected.put("price", new BigDecimal("12.50"));
        expected.put("tags", List.of("a", "b"));
        expected.put("address", Map.of("city", "Oslo"));
        assertEquals(expected, tree);
    }

    @Test
    void protobufFromConfluentsSerializer() {
        int id = TestRegistry.register("kwsync-test-cjs-proto-value", "PROTOBUF", PROTO_DESCRIPTOR);
        ProtobufDecoder decoder = new ProtobufDecoder(TestRegistry.client());
        Object tree = ((Decoded.Tree) decoder.decode(withId(PROTO_BYTES, id), "value")).root();
        Equivalence.columnsLikeJson(tree, "{\"id\": 42, \"name\": \"ada\", \"tags\": [\"a\",\"b\"], \"address\": {\"city\":\"Oslo\"},"
                + " \"at\": \"2024-01-31T10:15:30.123Z\", \"status\": \"PAID\", \"ratio\": 0.25}", Map.of());
        assertEquals(Map.of("city", "Bergen"), ((Decoded.Tree) decoder.decode(withId(NESTED_BYTES, id), "value")).root());
    }
}
