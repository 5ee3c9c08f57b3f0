package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;
import org.apache.avro.Conversions;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Avro with a configured schema: records written by Avro's own GenericDatumWriter (with its logical-type
 * conversions) decode into the columns the Avro specification's rules and ours say, and into the same columns the
 * equivalent JSON object gives.
 */
class AvroDecoderTest {

    static final String ORDER_SCHEMA = """
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [
              {"name": "id", "type": "long"},
              {"name": "name", "type": "string"},
              {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "fixed_price", "type": {"type": "fixed", "name": "Money", "size": 5, "logicalType": "decimal", "precision": 10, "scale": 3}},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "at_us", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "local_at", "type": {"type": "long", "logicalType": "local-timestamp-millis"}},
              {"name": "t_ms", "type": {"type": "int", "logicalType": "time-millis"}},
              {"name": "t_us", "type": {"type": "long", "logicalType": "time-micros"}},
              {"name": "uid", "type": {"type": "string", "logicalType": "uuid"}},
              {"name": "note", "type": ["null", "string"], "default": null},
              {"name": "qty", "type": ["null", "int"], "default": null},
              {"name": "status", "type": {"type": "enum", "name": "Status", "symbols": ["NEW", "PAID"]}},
              {"name": "raw", "type": "bytes"},
              {"name": "ratio", "type": "double"},
              {"name": "f", "type": "float"},
              {"name": "flag", "type": "boolean"},
              {"name": "address", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"}, {"name": "zip", "type": ["null", "string"]}]}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "attrs", "type": {"type": "map", "values": "long"}},
              {"name": "billing", "type": ["null", "Address"], "default": null}
            ]}""";

    static final Schema SCHEMA = new Schema.Parser().parse(ORDER_SCHEMA);
    static final Instant AT = Instant.parse("2024-01-31T10:15:30.123456Z");

    /** The same order as JSON, values as the column rules render them. */
    static final String ORDER_JSON = """
            {"id": 42, "name": "ada", "price": 12.50, "fixed_price": -3.125, "day": "2024-01-31",
             "at": "2024-01-31T10:15:30.123Z", "at_us": "2024-01-31T10:15:30.123456Z", "local_at": "2024-01-31T10:15:30.123",
             "t_ms": "10:15:30.123", "t_us": "10:15:30.123456", "uid": "8a1c3e2c-3b6f-4bd5-9b4e-2a0c1f9d7e01",
             "note": null, "qty": 5, "status": "PAID", "raw": "AQID", "ratio": 0.25, "f": 1.1, "flag": true,
             "address": {"city":"Oslo","zip":null}, "tags": ["a","b"], "attrs": {"x":1,"y":-2}, "billing": null}""";

    static GenericData model() {
        GenericData model = new GenericData();
        model.addLogicalTypeConversion(new Conversions.DecimalConversion());
        model.addLogicalTypeConversion(new Conversions.UUIDConversion());
        model.addLogicalTypeConversion(new TimeConversions.DateConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        model.addLogicalTypeConversion(new TimeConversions.LocalTimestampMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimeMillisConversion());
        model.addLogicalTypeConversion(new TimeConversions.TimeMicrosConversion());
        return model;
    }

    static GenericRecord order() {
        GenericRecord r = new GenericData.Record(SCHEMA);
        r.put("id", 42L);
        r.put("name", "ada");
        r.put("price", new BigDecimal("12.50"));
        r.put("fixed_price", new BigDecimal("-3.125"));
        r.put("day", LocalDate.of(2024, 1, 31));
        r.put("at", AT.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        r.put("at_us", AT);
        r.put("local_at", java.time.LocalDateTime.of(2024, 1, 31, 10, 15, 30, 123_000_000));
        r.put("t_ms", LocalTime.of(10, 15, 30, 123_000_000));
        r.put("t_us", LocalTime.of(10, 15, 30, 123_456_000));
        r.put("uid", UUID.fromString("8a1c3e2c-3b6f-4bd5-9b4e-2a0c1f9d7e01"));
        r.put("note", null);
        r.put("qty", 5);
        r.put("status", new GenericData.EnumSymbol(SCHEMA.getField("status").schema(), "PAID"));
        r.put("raw", ByteBuffer.wrap(new byte[]{1, 2, 3}));
        r.put("ratio", 0.25d);
        r.put("f", 1.1f);
        r.put("flag", true);
        GenericRecord address = new GenericData.Record(SCHEMA.getField("address").schema());
        address.put("city", "Oslo");
        address.put("zip", null);
        r.put("address", address);
        r.put("tags", List.of("a", "b"));
        Map<String, Long> attrs = new LinkedHashMap<>();
        attrs.put("x", 1L);
        attrs.put("y", -2L);
        r.put("attrs", attrs);
        r.put("billing", null);
        return r;
    }

    static byte[] write(Schema schema, Object datum) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<>(schema, model()).write(datum, enc);
            enc.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private final AvroDecoder decoder = AvroDecoder.withSchema(ORDER_SCHEMA);

    @Test
    void decodesEveryTypeToTheColumnsOfTheEquivalentJson() {
        Object tree = ((Decoded.Tree) decoder.decode(write(SCHEMA, order()), "value")).root();
        Equivalence.columnsLikeJson(tree, ORDER_JSON, Map.of("raw", new byte[]{1, 2, 3}));
        Map<String, Object> columns = Trees.columns(tree, "value");
        assertEquals(new BigDecimal("12.50"), columns.get("price"), "decimal keeps its scale");
        assertEquals(new BigDecimal("-3.125"), columns.get("fixed_price"));
        assertEquals(new BigDecimal("1.1"), columns.get("f"), "a float becomes its shortest decimal");
        assertEquals("PAID", columns.get("status"), "an enum is its symbol");
        assertEquals(5L, columns.get("qty"), "a union with null is its value");
        assertNull(columns.get("note"));
        assertEquals(new JsonText("{\"city\":\"Oslo\",\"zip\":null}"), columns.get("address"));
    }

    @Test
    void nestedFieldsAreReachableByJsonPaths() {
        Object tree = ((Decoded.Tree) decoder.decode(write(SCHEMA, order()), "value")).root();
        Object[] v = Equivalence.pathsLikeJson(tree, ORDER_JSON,
                "address.city => city, tags[1] => second_tag, attrs.y => y, address => address, billing.city => billing_city,"
                        + " tags[5] => none, nothing.at.all => nothing, id => id, price => price");
        assertEquals("Oslo", v[0]);
        assertEquals("b", v[1]);
        assertEquals(-2L, v[2]);
        assertNull(v[4], "a path through a null union is null");
    }

    @Test
    void bytesReachedByAPathStayBytes() {
        Object tree = ((Decoded.Tree) decoder.decode(write(SCHEMA, order()), "value")).root();
        Object[] v = new TreePaths(List.of(new io.kwsync.ingest.mapping.JsonPath(List.of(new io.kwsync.ingest.mapping.JsonPath.Key("raw"))))).extract(tree);
        assertArrayEquals(new byte[]{1, 2, 3}, (byte[]) v[0]);
    }

    @Test
    void primitiveSchemasAndNullValues() {
        AvroDecoder strings = AvroDecoder.withSchema("\"string\"");
        assertEquals("héllo", ((Decoded.Tree) strings.decode(write(Schema.create(Schema.Type.STRING), "héllo"), "key")).root());
        assertNull(strings.decode(null, "value"), "a tombstone decodes to null");
        DirtyRecordException e = assertThrows(DirtyRecordException.class,
                () -> Trees.columns(((Decoded.Tree) strings.decode(write(Schema.create(Schema.Type.STRING), "x"), "value")).root(), "value"));
        assertTrue(e.getMessage().contains("not a record"), e.getMessage());
    }

    @Test
    void recursiveSchemas() {
        String list = """
                {"type": "record", "name": "Node", "fields": [
                  {"name": "v", "type": "int"}, {"name": "next", "type": ["null", "Node"]}]}""";
        Schema s = new Schema.Parser().parse(list);
        GenericRecord second = new GenericData.Record(s);
        second.put("v", 2);
        GenericRecord first = new GenericData.Record(s);
        first.put("v", 1);
        first.put("next", second);
        Object tree = ((Decoded.Tree) AvroDecoder.withSchema(list).decode(write(s, first), "value")).root();
        assertEquals(2L, ((Map<?, ?>) ((Map<?, ?>) tree).get("next")).get("v"));
        assertNull(((Map<?, ?>) ((Map<?, ?>) tree).get("next")).get("next"));
    }

    @Test
    void truncatedOrForeignBytesAreDirtyWithAReason() {
        byte[] good = write(SCHEMA, order());
        for (int cut = 0; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> decoder.decode(truncated, "value"), "cut at " + cut);
            assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
            assertTrue(e.getMessage().startsWith("value is not Avro of the configured schema"), e.getMessage());
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 2);
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> decoder.decode(trailing, "value"));
        assertTrue(e.getMessage().contains("2 bytes left after"), e.getMessage());

        // a string length far past the end: refused without allocating it
        AvroDecoder strings = AvroDecoder.withSchema("\"string\"");
        e = assertThrows(DirtyRecordException.class, () -> strings.decode(new byte[]{(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, "value"));
        assertTrue(e.getMessage().contains("runs past the end"), e.getMessage());
        // an enum index the schema does not have
        AvroDecoder enums = AvroDecoder.withSchema("{\"type\": \"enum\", \"name\": \"E\", \"symbols\": [\"A\"]}");
        e = assertThrows(DirtyRecordException.class, () -> enums.decode(new byte[]{4}, "value"));
        assertTrue(e.getMessage().contains("enum index 2"), e.getMessage());
        // a block count of a billion null items
        AvroDecoder nulls = AvroDecoder.withSchema("{\"type\": \"array\", \"items\": \"null\"}");
        assertThrows(DirtyRecordException.class, () -> nulls.decode(new byte[]{(byte) 0x80, (byte) 0xA8, (byte) 0xD6, (byte) 0xB9, 0x07, 0}, "value"));
    }

    @Test
    void aConfiguredSchemaThatIsNotAvroIsAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AvroDecoder.withSchema("{\"type\": \"recordx\"}"));
        assertTrue(e.getMessage().startsWith("not a valid Avro schema"), e.getMessage());
    }
}
