package io.kwsync.ingest.format;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Int64Value;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.WrappersProto;
import io.kwsync.model.DirtyRecordException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protobuf through the real local schema registry: the .proto text is registered as a serializer registers it, the
 * messages are written by protobuf-java from descriptors built here by hand (not by the code under test), framed as
 * the serializers frame them, and decoded into the columns of the equivalent JSON object.
 */
class ProtobufDecoderTest {

    static final String PROTO = """
            syntax = "proto3";
            package shop;

            import "google/protobuf/timestamp.proto";
            import "google/protobuf/wrappers.proto";

            message Order {
              int64 id = 1;
              string name = 2;
              Address address = 3;
              repeated string tags = 4;
              map<string, int64> attrs = 5;
              google.protobuf.Timestamp at = 6;
              google.protobuf.Int64Value qty = 7;
              google.protobuf.StringValue note = 8;
              Status status = 9;
              bytes raw = 10;
              double ratio = 11;
              float f = 12;
              bool flag = 13;
              optional int32 maybe = 14;
              uint64 big = 15;
              oneof pay { string card = 16; string iban = 17; }
              repeated Address others = 18;
              sint32 delta = 19;

              enum Status { NEW = 0; PAID = 1; }
              message Address { string city = 1; string zip = 2; }
            }

            message Other { string x = 1; }
            """;

    static final String ORDER_JSON = """
            {"id": 42, "name": "ada", "address": {"city":"Oslo","zip":""}, "tags": ["a","b"], "attrs": {"x":1,"y":-2},
             "at": "2024-01-31T10:15:30.123456789Z", "qty": 5, "note": null, "status": "PAID", "raw": "AQID",
             "ratio": 0.25, "f": 1.1, "flag": true, "maybe": null, "big": 18446744073709551615, "card": null,
             "iban": "NO93", "others": [{"city":"Bergen","zip":"5003"}], "delta": -7}""";

    /** The writer's view of the same file, built by hand as protoc would describe it. */
    static final Descriptors.FileDescriptor WRITER = writer();

    private static FieldDescriptorProto.Builder f(String name, int number, Type type) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(Label.LABEL_OPTIONAL);
    }

    private static FieldDescriptorProto.Builder m(String name, int number, String typeName) {
        return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(Type.TYPE_MESSAGE)
                .setTypeName(typeName).setLabel(Label.LABEL_OPTIONAL);
    }

    private static Descriptors.FileDescriptor writer() {
        DescriptorProto address = DescriptorProto.newBuilder().setName("Address")
                .addField(f("city", 1, Type.TYPE_STRING)).addField(f("zip", 2, Type.TYPE_STRING)).build();
        DescriptorProto attrsEntry = DescriptorProto.newBuilder().setName("AttrsEntry")
                .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                .addField(f("key", 1, Type.TYPE_STRING)).addField(f("value", 2, Type.TYPE_INT64)).build();
        DescriptorProto order = DescriptorProto.newBuilder().setName("Order")
                .addField(f("id", 1, Type.TYPE_INT64))
                .addField(f("name", 2, Type.TYPE_STRING))
                .addField(m("address", 3, ".shop.Order.Address"))
                .addField(f("tags", 4, Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
                .addField(m("attrs", 5, ".shop.Order.AttrsEntry").setLabel(Label.LABEL_REPEATED))
                .addField(m("at", 6, ".google.protobuf.Timestamp"))
                .addField(m("qty", 7, ".google.protobuf.Int64Value"))
                .addField(m("note", 8, ".google.protobuf.StringValue"))
                .addField(f("status", 9, Type.TYPE_ENUM).setTypeName(".shop.Order.Status"))
                .addField(f("raw", 10, Type.TYPE_BYTES))
                .addField(f("ratio", 11, Type.TYPE_DOUBLE))
                .addField(f("f", 12, Type.TYPE_FLOAT))
                .addField(f("flag", 13, Type.TYPE_BOOL))
                .addField(f("maybe", 14, Type.TYPE_INT32).setProto3Optional(true).setOneofIndex(1))
                .addField(f("big", 15, Type.TYPE_UINT64))
                .addField(f("card", 16, Type.TYPE_STRING).setOneofIndex(0))
                .addField(f("iban", 17, Type.TYPE_STRING).setOneofIndex(0))
                .addField(m("others", 18, ".shop.Order.Address").setLabel(Label.LABEL_REPEATED))
                .addField(f("delta", 19, Type.TYPE_SINT32))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("pay"))
                .addOneofDecl(OneofDescriptorProto.newBuilder().setName("_maybe"))
                .addNestedType(address).addNestedType(attrsEntry)
                .addEnumType(EnumDescriptorProto.newBuilder().setName("Status")
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("NEW").setNumber(0))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("PAID").setNumber(1)))
                .build();
        DescriptorProto other = DescriptorProto.newBuilder().setName("Other").addField(f("x", 1, Type.TYPE_STRING)).build();
        FileDescriptorProto file = FileDescriptorProto.newBuilder().setName("order.proto").setPackage("shop").setSyntax("proto3")
                .addDependency("google/protobuf/timestamp.proto").addDependency("google/protobuf/wrappers.proto")
                .addMessageType(order).addMessageType(other).build();
        try {
            return Descriptors.FileDescriptor.buildFrom(file, new Descriptors.FileDescriptor[]{
                    TimestampProto.getDescriptor(), WrappersProto.getDescriptor()});
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    static DynamicMessage order() {
        Descriptors.Descriptor o = WRITER.findMessageTypeByName("Order");
        Descriptors.Descriptor a = o.findNestedTypeByName("Address");
        Descriptors.Descriptor entry = o.findNestedTypeByName("AttrsEntry");
        DynamicMessage.Builder b = DynamicMessage.newBuilder(o)
                .setField(o.findFieldByName("id"), 42L)
                .setField(o.findFieldByName("name"), "ada")
                .setField(o.findFieldByName("address"), DynamicMessage.newBuilder(a).setField(a.findFieldByName("city"), "Oslo").build())
                .addRepeatedField(o.findFieldByName("tags"), "a")
                .addRepeatedField(o.findFieldByName("tags"), "b")
                .addRepeatedField(o.findFieldByName("attrs"), DynamicMessage.newBuilder(entry)
                        .setField(entry.findFieldByName("key"), "x").setField(entry.findFieldByName("value"), 1L).build())
                .addRepeatedField(o.findFieldByName("attrs"), DynamicMessage.newBuilder(entry)
                        .setField(entry.findFieldByName("key"), "y").setField(entry.findFieldByName("value"), -2L).build())
                .setField(o.findFieldByName("at"), Timestamp.newBuilder().setSeconds(1_706_696_130L).setNanos(123_456_789).build())
                .setField(o.findFieldByName("qty"), Int64Value.of(5))
                .setField(o.findFieldByName("status"), o.findEnumTypeByName("Status").findValueByName("PAID"))
                .setField(o.findFieldByName("raw"), ByteString.copyFrom(new byte[]{1, 2, 3}))
                .setField(o.findFieldByName("ratio"), 0.25d)
                .setField(o.findFieldByName("f"), 1.1f)
                .setField(o.findFieldByName("flag"), true)
                .setField(o.findFieldByName("big"), -1L)
                .setField(o.findFieldByName("iban"), "NO93")
                .addRepeatedField(o.findFieldByName("others"), DynamicMessage.newBuilder(a)
                        .setField(a.findFieldByName("city"), "Bergen").setField(a.findFieldByName("zip"), "5003").build())
                .setField(o.findFieldByName("delta"), -7);
        return b.build();
    }

    private final ProtobufDecoder decoder = new ProtobufDecoder(TestRegistry.client());

    private static int registerOrder() {
        return TestRegistry.register("kwsync-test-order-proto-value", "PROTOBUF", PROTO);
    }

    private Object decode(byte[] framed) {
        return ((Decoded.Tree) decoder.decode(framed, "value")).root();
    }

    @Test
    void decodesMessagesToTheColumnsOfTheEquivalentJson() {
        int id = registerOrder();
        Object tree = decode(TestRegistry.frame(id, order().toByteArray(), 0));
        Equivalence.columnsLikeJson(tree, ORDER_JSON, Map.of("raw", new byte[]{1, 2, 3}));
        Equivalence.pathsLikeJson(tree, ORDER_JSON, "address.city => city, others[0].zip => zip, attrs.y => y, tags => tags,"
                + " at => at, qty => qty, note => note, maybe => maybe, card => card");
    }

    @Test
    void aProjectionBuildsOnlyTheNamedFieldsWithTheSameValues() {
        int id = registerOrder();
        byte[] framed = TestRegistry.frame(id, order().toByteArray(), 0);
        Map<?, ?> all = (Map<?, ?>) decode(framed);
        Map<?, ?> some = (Map<?, ?>) ((Decoded.Tree) decoder.only(java.util.Set.of("id", "address", "attrs", "at"))
                .decode(framed, "value")).root();
        assertEquals(List.of("id", "address", "attrs", "at"), List.copyOf(some.keySet()));
        for (Object k : some.keySet()) assertEquals(all.get(k), some.get(k), k.toString());
    }

    @Test
    void messageIndexesSelectTheMessageType() {
        int id = registerOrder();
        Descriptors.Descriptor other = WRITER.findMessageTypeByName("Other");
        byte[] payload = DynamicMessage.newBuilder(other).setField(other.findFieldByName("x"), "second").build().toByteArray();
        assertEquals(Map.of("x", "second"), decode(TestRegistry.frame(id, payload, 1)));
        Descriptors.Descriptor address = WRITER.findMessageTypeByName("Order").findNestedTypeByName("Address");
        payload = DynamicMessage.newBuilder(address).setField(address.findFieldByName("city"), "Oslo").build().toByteArray();
        Map<?, ?> nested = (Map<?, ?>) decode(TestRegistry.frame(id, payload, 0, 0));
        assertEquals("Oslo", nested.get("city"));
        assertEquals("", nested.get("zip"), "an unset proto3 string is its default");
    }

    @Test
    void anEmptyMessageHasItsDefaults() {
        int id = registerOrder();
        Map<?, ?> tree = (Map<?, ?>) decode(TestRegistry.frame(id, new byte[0], 0));
        assertEquals(0L, tree.get("id"));
        assertEquals("NEW", tree.get("status"));
        assertEquals(List.of(), tree.get("tags"));
        assertNull(tree.get("address"));
        assertNull(tree.get("at"));
        assertNull(tree.get("maybe"));
    }

    /** google.protobuf.Struct values nested {@code depth} times: {"a": {"a": ...}} as field 20 of a one-field message. */
    private static byte[] nestedStruct(int depth) {
        com.google.protobuf.Value v = com.google.protobuf.Value.newBuilder().setStringValue("end").build();
        for (int i = 0; i < depth; i++) {
            v = com.google.protobuf.Value.newBuilder().setStructValue(com.google.protobuf.Struct.newBuilder().putFields("a", v)).build();
        }
        return com.google.protobuf.Struct.newBuilder().putFields("a", v).build().toByteArray();
    }

    /** Wire rules: repeated scalars packed or not, a message field sent twice is merged, the last oneof member wins. */
    @Test
    void wireRules() {
        int id = registerOrder();
        // tags (4) twice unpacked; address (3) twice: {city: "A"} then {zip: "Z"}; card (16) then iban (17); id (1) twice
        byte[] bytes = {
                0x08, 0x01, 0x22, 0x01, 'x', 0x22, 0x01, 'y',
                0x1A, 0x03, 0x0A, 0x01, 'A', 0x1A, 0x03, 0x12, 0x01, 'Z',
                (byte) 0x82, 0x01, 0x01, 'c', (byte) 0x8A, 0x01, 0x01, 'i', 0x08, 0x02};
        Map<?, ?> tree = (Map<?, ?>) decode(TestRegistry.frame(id, bytes, 0));
        assertEquals(List.of("x", "y"), tree.get("tags"));
        assertEquals(Map.of("city", "A", "zip", "Z"), tree.get("address"));
        assertNull(tree.get("card"), "a later oneof member clears the earlier");
        assertEquals("i", tree.get("iban"));
        assertEquals(2L, tree.get("id"), "the last scalar wins");
    }

    @Test
    void wellKnownStructTypes() {
        int id = TestRegistry.register("kwsync-test-wkt-value", "PROTOBUF", """
                syntax = "proto3";
                import "google/protobuf/struct.proto";
                import "google/protobuf/duration.proto";
                message Doc { google.protobuf.Struct doc = 1; google.protobuf.Duration took = 2; google.protobuf.Value any = 3; }
                """);
        com.google.protobuf.Struct doc = com.google.protobuf.Struct.newBuilder()
                .putFields("n", com.google.protobuf.Value.newBuilder().setNumberValue(1.5).build())
                .putFields("s", com.google.protobuf.Value.newBuilder().setStringValue("t").build())
                .putFields("z", com.google.protobuf.Value.newBuilder().setNullValue(com.google.protobuf.NullValue.NULL_VALUE).build())
                .putFields("l", com.google.protobuf.Value.newBuilder().setListValue(com.google.protobuf.ListValue.newBuilder()
                        .addValues(com.google.protobuf.Value.newBuilder().setBoolValue(true))).build())
                .build();
        com.google.protobuf.ByteString payload = doc.toByteString();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(0x0A);
        out.write(payload.size());
        out.writeBytes(payload.toByteArray());
        byte[] took = com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(500_000_000).build().toByteArray();
        out.write(0x12);
        out.write(took.length);
        out.writeBytes(took);
        Map<?, ?> tree = (Map<?, ?>) decode(TestRegistry.frame(id, out.toByteArray(), 0));
        Map<?, ?> d = (Map<?, ?>) tree.get("doc");
        assertEquals(new java.math.BigDecimal("1.5"), d.get("n"));
        assertEquals("t", d.get("s"));
        assertTrue(d.containsKey("z") && d.get("z") == null);
        assertEquals(List.of(true), d.get("l"));
        assertEquals("1.5s", tree.get("took"));
        assertNull(tree.get("any"));
    }

    @Test
    void badInputIsDirtyWithAReason() {
        int id = registerOrder();
        byte[] good = order().toByteArray();

        byte[] unknownField = Arrays.copyOf(good, good.length + 3);
        unknownField[good.length] = (byte) 0x98; // field 99, varint
        unknownField[good.length + 1] = 0x06;
        unknownField[good.length + 2] = 0x01;
        DirtyRecordException e = TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(id, unknownField, 0), "value"));
        assertTrue(e.getMessage().contains("field number 99 is not defined by message type shop.Order"), e.getMessage());

        byte[] wrongWireType = {0x0A, 0x01, 0x00}; // field 1 (int64 id) as length-delimited
        e = TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(id, wrongWireType, 0), "value"));
        assertTrue(e.getMessage().contains("field id has wire type 2"), e.getMessage());

        int structs = TestRegistry.register("kwsync-test-struct-value", "PROTOBUF",
                "syntax = \"proto3\"; import \"google/protobuf/struct.proto\"; message S { map<string, google.protobuf.Value> fields = 1; }");
        e = TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(structs, nestedStruct(150), 0), "value"));
        assertTrue(e.getMessage().contains("nested deeper than"), e.getMessage());

        e = TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(id, Arrays.copyOf(good, good.length - 1), 0), "value"));
        assertTrue(e.getMessage().startsWith("value is not a Protobuf shop.Order of schema id " + id), e.getMessage());

        byte[] wrongMagic = TestRegistry.frame(id, good, 0);
        wrongMagic[0] = 1;
        e = TestRegistry.dirty(() -> decoder.decode(wrongMagic, "value"));
        assertTrue(e.getMessage().contains("not the schema registry framing's magic byte"), e.getMessage());

        e = TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(id, good, 7), "value"));
        assertTrue(e.getMessage().contains("no such message type"), e.getMessage());

        e = TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(987_654, good, 0), "value"));
        assertTrue(e.getMessage().startsWith("schema id 987654 is not in the schema registry"), e.getMessage());
        assertEquals(DirtyRecordException.Stage.DECODE, e.stage());

        int avroId = TestRegistry.register("kwsync-test-not-proto-value", "AVRO", "\"string\"");
        e = TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(avroId, good, 0), "value"));
        assertTrue(e.getMessage().contains("a AVRO schema, but the format is Protobuf"), e.getMessage());

        int broken = TestRegistry.register("kwsync-test-broken-proto-value", "PROTOBUF", "syntax = \"proto3\"; message A { Missing m = 1; }");
        e = TestRegistry.dirty(() -> decoder.decode(TestRegistry.frame(broken, new byte[0], 0), "value"));
        assertTrue(e.getMessage().startsWith("schema id " + broken + " in the schema registry cannot be used"), e.getMessage());
    }
}
