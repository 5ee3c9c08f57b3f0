package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.RowOperation;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The change-event envelopes, with events written as Debezium, Canal and Maxwell document them. */
class ChangeEnvelopeTest {

    private static Decoded json(String s) {
        return new Decoded.Json(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Change only(List<Change> changes) {
        assertEquals(1, changes.size(), changes.toString());
        return changes.get(0);
    }

    private final ChangeEnvelope debezium = ChangeEnvelope.named("debezium-json");

    static final String AFTER = "{\"id\": 1, \"name\": \"ada\", \"price\": 12.50, \"tags\": [\"x\"]}";

    @Test
    void debeziumCreateUpdateAndSnapshotReadUpsertTheAfterImage() {
        for (String op : List.of("c", "u", "r")) {
            String event = "{\"before\": null, \"after\": " + AFTER + ", \"source\": {\"db\": \"shop\"}, \"op\": \"" + op
                    + "\", \"ts_ms\": 1706696130000}";
            Change c = only(debezium.read(json("{\"id\": 1}"), json(event)));
            assertEquals(Change.Kind.UPSERT, c.kind());
            assertEquals(RowOperation.UPSERT, c.operation());
            Equivalence.columnsLikeJson(c.row(), AFTER, Map.of());
        }
    }

    @Test
    void debeziumDeleteDeletesByTheRecordKeyAndTombstonesAreSkipped() {
        String event = "{\"before\": " + AFTER + ", \"after\": null, \"op\": \"d\"}";
        Change c = only(debezium.read(json("{\"id\": 1}"), json(event)));
        assertEquals(Change.Kind.DELETE, c.kind());
        assertEquals(RowOperation.DELETE, c.operation());
        assertEquals(Map.of("id", 1L), c.row());

        Change tombstone = only(debezium.read(json("{\"id\": 1}"), null));
        assertEquals(Change.Kind.SKIP, tombstone.kind());
        assertTrue(tombstone.note().contains("tombstone"));
        assertEquals(Change.Kind.SKIP, only(debezium.read(null, json("{\"op\": \"t\", \"before\": null, \"after\": null}"))).kind());
    }

    @Test
    void debeziumDeleteWithoutPrimaryKeyOrUnknownOpIsDirty() {
        String event = "{\"before\": " + AFTER + ", \"after\": null, \"op\": \"d\"}";
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> debezium.read(null, json(event)));
        assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
        assertTrue(e.getMessage().startsWith("Debezium delete event without a primary key"), e.getMessage());
        assertThrows(DirtyRecordException.class, () -> debezium.read(json("\"k\""), json(event)));
        e = assertThrows(DirtyRecordException.class, () -> debezium.read(null, json("{\"op\": \"x\"}")));
        assertTrue(e.getMessage().contains("unknown op \"x\""), e.getMessage());
        e = assertThrows(DirtyRecordException.class, () -> debezium.read(null, json("{\"id\": 1}")));
        assertTrue(e.getMessage().contains("no \"op\" field"), e.getMessage());
        e = assertThrows(DirtyRecordException.class, () -> debezium.read(null, json("{\"op\": \"c\", \"after\": null}")));
        assertTrue(e.getMessage().contains("\"after\" image"), e.getMessage());
    }

    /** The JSON converter with schemas enabled: semantic types are converted with the schema. */
    @Test
    void debeziumWithTheSchemaEnvelope() {
        String valueSchema = """
                {"type": "struct", "name": "shop.orders.Envelope", "fields": [
                  {"field": "before", "type": "struct", "optional": true, "fields": []},
                  {"field": "after", "type": "struct", "optional": true, "name": "shop.orders.Value", "fields": [
                    {"field": "id", "type": "int32"},
                    {"field": "price", "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "parameters": {"scale": "2"}},
                    {"field": "day", "type": "int32", "name": "io.debezium.time.Date"},
                    {"field": "created", "type": "int64", "name": "io.debezium.time.Timestamp"},
                    {"field": "updated", "type": "int64", "name": "io.debezium.time.MicroTimestamp"},
                    {"field": "at", "type": "string", "name": "io.debezium.time.ZonedTimestamp"},
                    {"field": "t", "type": "int64", "name": "io.debezium.time.MicroTime"},
                    {"field": "blob", "type": "bytes"},
                    {"field": "amount", "type": "struct", "name": "io.debezium.data.VariableScaleDecimal", "fields": [
                      {"field": "scale", "type": "int32"}, {"field": "value", "type": "bytes"}]}
                  ]},
                  {"field": "op", "type": "string"}]}""";
        // 1250 is 0x04E2; -5 with scale 1 is 0xFB
        String payload = """
                {"before": null, "after": {"id": 7, "price": "BOI=", "day": 19753, "created": 1706696130123,
                 "updated": 1706696130123456, "at": "2024-01-31T10:15:30Z", "t": 36930123456, "blob": "AQID",
                 "amount": {"scale": 1, "value": "+w=="}}, "op": "c"}""";
        String keySchema = "{\"type\": \"struct\", \"fields\": [{\"field\": \"id\", \"type\": \"int32\"}]}";
        Change c = only(debezium.read(json("{\"schema\": " + keySchema + ", \"payload\": {\"id\": 7}}"),
                json("{\"schema\": " + valueSchema + ", \"payload\": " + payload + "}")));
        Map<String, Object> row = c.row();
        assertEquals(7L, row.get("id"));
        assertEquals(new BigDecimal("12.50"), row.get("price"));
        assertEquals("2024-01-31", row.get("day"));
        assertEquals("2024-01-31T10:15:30.123", row.get("created"), "a local date-time, no zone");
        assertEquals("2024-01-31T10:15:30.123456", row.get("updated"));
        assertEquals("2024-01-31T10:15:30Z", row.get("at"));
        assertEquals("10:15:30.123456", row.get("t"));
        assertArrayEquals(new byte[]{1, 2, 3}, (byte[]) row.get("blob"));
        assertEquals(new BigDecimal("-0.5"), row.get("amount"));

        Change d = only(debezium.read(json("{\"schema\": " + keySchema + ", \"payload\": {\"id\": 7}}"),
                json("{\"schema\": " + valueSchema + ", \"payload\": {\"before\": null, \"after\": null, \"op\": \"d\"}}")));
        assertEquals(Map.of("id", 7L), d.row());
    }

    /** The Avro converter's envelope, decoded by the Avro decoder, with Connect's semantic names on the schema. */
    @Test
    void debeziumAvro() {
        String schemaText = """
                {"type": "record", "name": "Envelope", "namespace": "shop.orders", "fields": [
                  {"name": "before", "type": ["null", {"type": "record", "name": "Value", "fields": [
                    {"name": "id", "type": "int"},
                    {"name": "day", "type": ["null", {"type": "int", "connect.name": "io.debezium.time.Date"}]},
                    {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}]}]},
                  {"name": "after", "type": ["null", "Value"]},
                  {"name": "op", "type": "string"}]}""";
        Schema schema = new Schema.Parser().parse(schemaText);
        Schema valueSchema = schema.getField("after").schema().getTypes().get(1);
        GenericRecord after = new GenericData.Record(valueSchema);
        after.put("id", 3);
        after.put("day", 19753);
        after.put("price", new BigDecimal("9.99"));
        GenericRecord event = new GenericData.Record(schema);
        event.put("after", after);
        event.put("op", "u");
        AvroDecoder values = AvroDecoder.withSchema(schemaText);
        Decoded value = values.decode(AvroDecoderTest.write(schema, event), "value");
        ChangeEnvelope envelope = ChangeEnvelope.named("debezium-avro");
        Change c = only(envelope.read(null, value));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 3L);
        expected.put("day", "2024-01-31");
        expected.put("price", new BigDecimal("9.99"));
        assertEquals(expected, c.row());

        GenericRecord delete = new GenericData.Record(schema);
        delete.put("before", after);
        delete.put("op", "d");
        Schema keySchema = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Key\", \"fields\": [{\"name\": \"id\", \"type\": \"int\"}]}");
        GenericRecord key = new GenericData.Record(keySchema);
        key.put("id", 3);
        Decoded k = AvroDecoder.withSchema(keySchema.toString()).decode(AvroDecoderTest.write(keySchema, key), "key");
        assertEquals(Map.of("id", 3L), only(envelope.read(k, values.decode(AvroDecoderTest.write(schema, delete), "value"))).row());
    }

    @Test
    void canal() {
        ChangeEnvelope canal = ChangeEnvelope.named("canal-json");
        String insert = """
                {"data": [{"id": "1", "name": "ada"}, {"id": "2", "name": "bob"}], "database": "shop", "table": "users",
                 "pkNames": ["id"], "isDdl": false, "type": "INSERT", "es": 1706696130000, "ts": 1706696130100,
                 "old": null, "sql": "", "sqlType": {"id": 4, "name": 12}, "mysqlType": {"id": "int", "name": "varchar(20)"}}""";
        List<Change> rows = canal.read(null, json(insert));
        assertEquals(2, rows.size());
        assertEquals(Map.of("id", "1", "name", "ada"), rows.get(0).row());
        assertEquals("bob", rows.get(1).row().get("name"));
        String update = insert.replace("INSERT", "UPDATE").replace("\"old\": null", "\"old\": [{\"name\": \"x\"}, {\"name\": \"y\"}]");
        assertEquals(Change.Kind.UPSERT, canal.read(null, json(update)).get(1).kind());
        List<Change> deletes = canal.read(null, json(insert.replace("INSERT", "DELETE")));
        assertEquals(List.of(Map.of("id", "1"), Map.of("id", "2")), deletes.stream().map(Change::row).toList());
        assertEquals(Change.Kind.DELETE, deletes.get(0).kind());
        String ddl = "{\"data\": null, \"database\": \"shop\", \"table\": \"users\", \"isDdl\": true, \"type\": \"ALTER\","
                + " \"sql\": \"ALTER TABLE users ADD c INT\"}";
        assertEquals(Change.Kind.SKIP, only(canal.read(null, json(ddl))).kind());

        DirtyRecordException e = assertThrows(DirtyRecordException.class,
                () -> canal.read(null, json(insert.replace("INSERT", "DELETE").replace("[\"id\"]", "null"))));
        assertTrue(e.getMessage().contains("without a primary key"), e.getMessage());
        e = assertThrows(DirtyRecordException.class,
                () -> canal.read(null, json(insert.replace("INSERT", "DELETE").replace("\"id\": \"2\", ", ""))));
        assertTrue(e.getMessage().contains("primary-key column \"id\""), e.getMessage());
        assertThrows(DirtyRecordException.class, () -> canal.read(null, json(insert.replace("INSERT", "MERGE"))));
    }

    @Test
    void maxwell() {
        ChangeEnvelope maxwell = ChangeEnvelope.named("maxwell-json");
        String insert = "{\"database\": \"shop\", \"table\": \"users\", \"type\": \"insert\", \"ts\": 1706696130, \"xid\": 8,"
                + " \"commit\": true, \"data\": {\"id\": 1, \"name\": \"ada\", \"score\": 1.5}}";
        Change c = only(maxwell.read(json("{\"database\": \"shop\", \"table\": \"users\", \"pk.id\": 1}"), json(insert)));
        Equivalence.columnsLikeJson(c.row(), "{\"id\": 1, \"name\": \"ada\", \"score\": 1.5}", Map.of());
        String update = insert.replace("\"insert\"", "\"update\"").replace("\"commit\": true,", "\"old\": {\"name\": \"x\"},");
        assertEquals(Change.Kind.UPSERT, only(maxwell.read(null, json(update))).kind());
        assertEquals(Change.Kind.UPSERT, only(maxwell.read(null, json(insert.replace("\"insert\"", "\"bootstrap-insert\"")))).kind());

        String delete = insert.replace("\"insert\"", "\"delete\"");
        assertEquals(Map.of("id", 1L), only(maxwell.read(json("{\"database\": \"shop\", \"table\": \"users\", \"pk.id\": 1}"),
                json(delete))).row(), "key columns from Maxwell's hash key");
        assertEquals(Map.of("id", 1L), only(maxwell.read(json("[\"shop\", \"users\", [{\"id\": 1}]]"), json(delete))).row(),
                "from the array key");
        String withColumns = delete.replace("\"xid\": 8,", "\"xid\": 8, \"primary_key_columns\": [\"id\", \"name\"],");
        Map<String, Object> both = new LinkedHashMap<>();
        both.put("id", 1L);
        both.put("name", "ada");
        assertEquals(both, only(maxwell.read(null, json(withColumns))).row(), "from primary_key_columns");

        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> maxwell.read(
                json("{\"database\": \"shop\", \"table\": \"users\", \"_uuid\": \"x\"}"), json(delete)));
        assertTrue(e.getMessage().startsWith("Maxwell delete event without a primary key"), e.getMessage());
        assertEquals(Change.Kind.SKIP, only(maxwell.read(null, json("{\"type\": \"bootstrap-start\", \"data\": {}}"))).kind());
        assertEquals(Change.Kind.SKIP, only(maxwell.read(null, json("{\"type\": \"table-alter\", \"sql\": \"ALTER ...\"}"))).kind());
        assertThrows(DirtyRecordException.class, () -> maxwell.read(null, json("{\"type\": \"upsert\", \"data\": {}}")));
    }

    @Test
    void unknownEnvelopeNamesAreAConfigurationError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChangeEnvelope.named("ogg-json"));
        assertTrue(e.getMessage().contains("known: debezium-json"), e.getMessage());
    }
}
