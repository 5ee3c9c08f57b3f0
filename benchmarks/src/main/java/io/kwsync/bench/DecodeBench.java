package io.kwsync.bench;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TimestampProto;
import io.kwsync.ingest.format.AvroDecoder;
import io.kwsync.ingest.format.Decoded;
import io.kwsync.ingest.format.ProtobufDecoder;
import io.kwsync.ingest.format.RecordDecoder;
import io.kwsync.ingest.format.RegistrySettings;
import io.kwsync.ingest.format.SchemaRegistryClient;
import io.kwsync.ingest.format.TreePaths;
import io.kwsync.ingest.format.Trees;
import io.kwsync.ingest.mapping.ColumnMapping;
import io.kwsync.ingest.mapping.JsonColumns;
import io.kwsync.ingest.mapping.JsonPath;
import io.kwsync.ingest.mapping.KafkaType;
import io.kwsync.ingest.mapping.MappingEntry;
import io.kwsync.ingest.mapping.MappingSyntax;
import io.kwsync.ingest.mapping.SourceField;
import io.kwsync.model.Origin;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Micro-benchmark of ingest's decoding CPU per record: the same ~200-byte order as plain JSON (today's path:
 * {@code JsonColumns.parseObject} for the column-per-key layout, {@code ColumnMapping.apply} for JSON paths), as
 * Avro and as Protobuf in the schema-registry framing (decoders of io.kwsync.ingest.format, then the same two
 * column layouts). One thread, a timed loop after warm-up; prints nanoseconds and thread CPU time per record.
 * Schemas are registered in the local registry of dev/up.sh first (its URL: KWSYNC_DEV_REGISTRY_URL), so the
 * decoders fetch each once and the loop measures decoding only.
 *
 * <p>Run: {@code dev/bench-decode.sh} (or the java command at its end). Options: {@code --rounds=N} (default 7),
 * {@code --seconds=N} per case and round (default 2), {@code --warmup=N} seconds per case (default 3). The minimum
 * over the rounds is the figure least disturbed by other work on the machine.
 */
public final class DecodeBench {

    static final String JSON = "{\"order_id\":1234567890123,\"user_id\":987654,\"user_name\":\"user-00042\",\"item\":"
            + "\"sku-ABCDEFGH-0042\",\"qty\":3,\"price\":199.99,\"currency\":\"EUR\",\"created_at\":"
            + "\"2024-01-31T10:15:30.123Z\",\"status\":\"PAID\",\"address\":{\"city\":\"Oslo\",\"zip\":\"0150\"},"
            + "\"tags\":[\"new\",\"promo\"],\"gift\":false}";

    static final String AVRO_SCHEMA = """
            {"type": "record", "name": "Order", "fields": [
              {"name": "order_id", "type": "long"}, {"name": "user_id", "type": "long"},
              {"name": "user_name", "type": "string"}, {"name": "item", "type": "string"}, {"name": "qty", "type": "int"},
              {"name": "price", "type": "double"}, {"name": "currency", "type": "string"},
              {"name": "created_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"}, {"name": "zip", "type": "string"}]}},
              {"name": "tags", "type": {"type": "array", "items": "string"}}, {"name": "gift", "type": "boolean"}]}""";

    static final String PROTO = """
            syntax = "proto3";
            import "google/protobuf/timestamp.proto";
            message Order {
              int64 order_id = 1; int64 user_id = 2; string user_name = 3; string item = 4; int32 qty = 5;
              double price = 6; string currency = 7; google.protobuf.Timestamp created_at = 8; Status status = 9;
              Address address = 10; repeated string tags = 11; bool gift = 12;
              enum Status { NEW = 0; PAID = 1; }
              message Address { string city = 1; string zip = 2; }
            }
            """;

    static final String MAPPING = "order_id => a, user_name => b, address.city => c, tags[0] => d, price => e, created_at => f";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = MicroBench.options(args);
        String registry = Registry.url();
        SchemaRegistryClient client = new SchemaRegistryClient(RegistrySettings.of(registry));

        byte[] json = JSON.getBytes(StandardCharsets.UTF_8);
        byte[] avro = Registry.frame(Registry.register(registry, "kwsync-bench-avro-value", "AVRO", AVRO_SCHEMA), avro(), false);
        byte[] proto = Registry.frame(Registry.register(registry, "kwsync-bench-proto-value", "PROTOBUF", PROTO), protobuf(), true);
        RecordDecoder avroDecoder = AvroDecoder.withRegistry(client);
        RecordDecoder protoDecoder = new ProtobufDecoder(client);

        List<MappingEntry> entries = MappingSyntax.parse(MAPPING);
        ColumnMapping mapping = ColumnMapping.of(entries, KafkaType.STRING, KafkaType.STRING, StandardCharsets.UTF_8);
        List<JsonPath> paths = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (MappingEntry e : entries) {
            paths.add(((SourceField.Path) e.source()).path());
            columns.add(e.column());
        }
        TreePaths treePaths = new TreePaths(paths);
        // what a mapping would do: build only the top-level fields its paths start at
        java.util.Set<String> firsts = new java.util.HashSet<>();
        for (JsonPath path : paths) firsts.add(((JsonPath.Key) path.segments().get(0)).name());
        RecordDecoder avroSome = ((AvroDecoder) avroDecoder).only(firsts);
        RecordDecoder protoSome = ((ProtobufDecoder) protoDecoder).only(firsts);
        Origin origin = new Origin("orders", 0, 0, 0, null, List.of());

        Map<String, Function<byte[], Map<String, Object>>> cases = new LinkedHashMap<>();
        cases.put("json    columns (JsonColumns.parseObject)", JsonColumns::parseObject);
        cases.put("avro    columns (decode + Trees.columns)", b -> Trees.columns(tree(avroDecoder, b), "value"));
        cases.put("proto   columns (decode + Trees.columns)", b -> Trees.columns(tree(protoDecoder, b), "value"));
        cases.put("json    6 paths (ColumnMapping.apply)", b -> mapping.apply(origin, b));
        cases.put("avro    6 paths (decode + TreePaths)", b -> named(columns, treePaths.extract(tree(avroDecoder, b))));
        cases.put("proto   6 paths (decode + TreePaths)", b -> named(columns, treePaths.extract(tree(protoDecoder, b))));
        cases.put("avro    6 paths (decode only(5 fields) + TreePaths)", b -> named(columns, treePaths.extract(tree(avroSome, b))));
        cases.put("proto   6 paths (decode only(5 fields) + TreePaths)", b -> named(columns, treePaths.extract(tree(protoSome, b))));
        Map<String, byte[]> input = Map.of("json", json, "avro", avro, "proto", proto);

        System.out.printf("record sizes: json %d bytes, avro %d bytes (framed), protobuf %d bytes (framed)%n",
                json.length, avro.length, proto.length);
        System.out.println("the three decode to the same columns: " + sameColumns(cases, input));
        List<MicroBench.Case> measured = cases.entrySet().stream().map(e -> {
            byte[] in = input(input, e.getKey());
            return new MicroBench.Case(e.getKey(), () -> e.getValue().apply(in).size(), 1);
        }).toList();
        List<MicroBench.Figures> figures = MicroBench.measure(measured, opts);
        System.out.printf("%-52s %14s %14s %18s%n", "case", "ns/rec (min)", "ns/rec (med)", "CPU ms/1000 (min)");
        for (int c = 0; c < measured.size(); c++) {
            MicroBench.Figures f = figures.get(c);
            System.out.printf("%-52s %14.0f %14.0f %18.3f%n", measured.get(c).name(), f.min(f.nsPerRecord()),
                    f.median(f.nsPerRecord()), f.min(f.cpuMsPer1000()));
        }
    }

    private static byte[] input(Map<String, byte[]> input, String name) {
        return input.get(name.substring(0, name.indexOf(' ')));
    }

    private static boolean sameColumns(Map<String, Function<byte[], Map<String, Object>>> cases, Map<String, byte[]> input) {
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, Function<byte[], Map<String, Object>>> c : cases.entrySet()) {
            seen.add(c.getValue().apply(input.get(c.getKey().substring(0, c.getKey().indexOf(' ')))).toString());
        }
        for (int i = 4; i < seen.size(); i++) if (!seen.get(3).equals(seen.get(i))) return false;
        return seen.get(0).equals(seen.get(1)) && seen.get(0).equals(seen.get(2));
    }

    private static Object tree(RecordDecoder d, byte[] b) {
        return ((Decoded.Tree) d.decode(b, "value")).root();
    }

    private static Map<String, Object> named(List<String> names, Object[] values) {
        Map<String, Object> out = new LinkedHashMap<>((int) (names.size() / 0.75f) + 1);
        for (int i = 0; i < values.length; i++) out.put(names.get(i), values[i]);
        return out;
    }

    private static byte[] avro() throws Exception {
        Schema schema = new Schema.Parser().parse(AVRO_SCHEMA);
        GenericRecord r = new GenericData.Record(schema);
        r.put("order_id", 1234567890123L);
        r.put("user_id", 987654L);
        r.put("user_name", "user-00042");
        r.put("item", "sku-ABCDEFGH-0042");
        r.put("qty", 3);
        r.put("price", 199.99d);
        r.put("currency", "EUR");
        r.put("created_at", 1706696130123L);
        r.put("status", new GenericData.EnumSymbol(schema.getField("status").schema(), "PAID"));
        GenericRecord address = new GenericData.Record(schema.getField("address").schema());
        address.put("city", "Oslo");
        address.put("zip", "0150");
        r.put("address", address);
        r.put("tags", List.of("new", "promo"));
        r.put("gift", false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }

    private static byte[] protobuf() throws Exception {
        FieldDescriptorProto.Builder f = FieldDescriptorProto.newBuilder().setLabel(Label.LABEL_OPTIONAL);
        DescriptorProto address = DescriptorProto.newBuilder().setName("Address")
                .addField(f.clone().setName("city").setNumber(1).setType(Type.TYPE_STRING))
                .addField(f.clone().setName("zip").setNumber(2).setType(Type.TYPE_STRING)).build();
        DescriptorProto order = DescriptorProto.newBuilder().setName("Order")
                .addField(f.clone().setName("order_id").setNumber(1).setType(Type.TYPE_INT64))
                .addField(f.clone().setName("user_id").setNumber(2).setType(Type.TYPE_INT64))
                .addField(f.clone().setName("user_name").setNumber(3).setType(Type.TYPE_STRING))
                .addField(f.clone().setName("item").setNumber(4).setType(Type.TYPE_STRING))
                .addField(f.clone().setName("qty").setNumber(5).setType(Type.TYPE_INT32))
                .addField(f.clone().setName("price").setNumber(6).setType(Type.TYPE_DOUBLE))
                .addField(f.clone().setName("currency").setNumber(7).setType(Type.TYPE_STRING))
                .addField(f.clone().setName("created_at").setNumber(8).setType(Type.TYPE_MESSAGE).setTypeName(".google.protobuf.Timestamp"))
                .addField(f.clone().setName("status").setNumber(9).setType(Type.TYPE_ENUM).setTypeName(".Order.Status"))
                .addField(f.clone().setName("address").setNumber(10).setType(Type.TYPE_MESSAGE).setTypeName(".Order.Address"))
                .addField(f.clone().setName("tags").setNumber(11).setType(Type.TYPE_STRING).setLabel(Label.LABEL_REPEATED))
                .addField(f.clone().setName("gift").setNumber(12).setType(Type.TYPE_BOOL))
                .addNestedType(address)
                .addEnumType(EnumDescriptorProto.newBuilder().setName("Status")
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("NEW").setNumber(0))
                        .addValue(EnumValueDescriptorProto.newBuilder().setName("PAID").setNumber(1)))
                .build();
        Descriptors.FileDescriptor file = Descriptors.FileDescriptor.buildFrom(FileDescriptorProto.newBuilder()
                .setName("bench.proto").setSyntax("proto3").addDependency("google/protobuf/timestamp.proto")
                .addMessageType(order).build(), new Descriptors.FileDescriptor[]{TimestampProto.getDescriptor()});
        Descriptors.Descriptor o = file.findMessageTypeByName("Order");
        Descriptors.Descriptor a = o.findNestedTypeByName("Address");
        return DynamicMessage.newBuilder(o)
                .setField(o.findFieldByName("order_id"), 1234567890123L)
                .setField(o.findFieldByName("user_id"), 987654L)
                .setField(o.findFieldByName("user_name"), "user-00042")
                .setField(o.findFieldByName("item"), "sku-ABCDEFGH-0042")
                .setField(o.findFieldByName("qty"), 3)
                .setField(o.findFieldByName("price"), 199.99d)
                .setField(o.findFieldByName("currency"), "EUR")
                .setField(o.findFieldByName("created_at"), Timestamp.newBuilder().setSeconds(1706696130L).setNanos(123_000_000).build())
                .setField(o.findFieldByName("status"), o.findEnumTypeByName("Status").findValueByName("PAID"))
                .setField(o.findFieldByName("address"), DynamicMessage.newBuilder(a)
                        .setField(a.findFieldByName("city"), "Oslo").setField(a.findFieldByName("zip"), "0150").build())
                .addRepeatedField(o.findFieldByName("tags"), "new")
                .addRepeatedField(o.findFieldByName("tags"), "promo")
                .setField(o.findFieldByName("gift"), false)
                .build().toByteArray();
    }
}
