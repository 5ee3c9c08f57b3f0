package io.kwsync.ingest.convert;

import io.kwsync.ingest.format.ChangeEnvelope;
import io.kwsync.ingest.format.Decoded;
import io.kwsync.ingest.mapping.ColumnMapping;
import io.kwsync.ingest.mapping.KafkaType;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowOperation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoded values and change events into row events: columns as JSON gives them, operations, skips, refusals. */
class DecodedMapperTest {

    static final RowDestination TABLE = RowDestination.fixed("t");

    static Origin origin(String key) {
        return new Origin("src", 0, 5, 1_700_000_000_000L, key == null ? null : utf8(key), List.of());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A value decoder giving this tree, whatever the bytes. */
    static DecodedMapper tree(Object root, ColumnMapping mapping) {
        return new DecodedMapper(TABLE, (bytes, what) -> bytes == null ? null : new Decoded.Tree(root), null, null, mapping);
    }

    @Test
    void aDecodedTreeGivesTheColumnsAndPathsTheEquivalentJsonGives() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("id", 7L);
        root.put("address", new LinkedHashMap<>(Map.of("city", "Hangzhou")));
        root.put("raw", new byte[]{1});
        RowEvent row = tree(root, null).map(origin("k"), new byte[]{0});
        assertEquals(7L, row.columns().get("id"));
        assertEquals(new JsonText("{\"city\":\"Hangzhou\"}"), row.columns().get("address"));
        assertEquals(RowOperation.UPSERT, row.operation());

        ColumnMapping mapping = ColumnMapping.parse("__key__ => k, address.city => city, id", KafkaType.STRING, KafkaType.STRING,
                StandardCharsets.UTF_8);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("k", "k");
        expected.put("city", "Hangzhou");
        expected.put("id", 7L);
        assertEquals(expected, tree(root, mapping).map(origin("k"), new byte[]{0}).columns());
        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("k", "k");
        nulls.put("city", null);
        nulls.put("id", null);
        assertEquals(nulls, tree(root, mapping).map(origin("k"), null).columns(), "a tombstone gives NULL for every path");
        assertThrows(DirtyRecordException.class, () -> tree(root, null).map(origin("k"), null));
    }

    static DecodedMapper changes(String format) {
        return new DecodedMapper(TABLE, DecodedMapper.json(), DecodedMapper.json(), ChangeEnvelope.named(format), null);
    }

    @Test
    void changeEventsBecomeUpsertsDeletesOrNothing() {
        DecodedMapper debezium = changes("debezium-json");
        RowEvent upsert = debezium.map(origin("{\"id\":1}"), utf8("{\"before\":null,\"after\":{\"id\":1,\"name\":\"a\"},\"op\":\"c\"}"));
        assertEquals(Map.of("id", 1L, "name", "a"), upsert.columns());
        assertEquals(RowOperation.UPSERT, upsert.operation());
        RowEvent delete = debezium.map(origin("{\"id\":1}"), utf8("{\"before\":{\"id\":1,\"name\":\"a\"},\"after\":null,\"op\":\"d\"}"));
        assertEquals(Map.of("id", 1L), delete.columns());
        assertEquals(RowOperation.DELETE, delete.operation());
        assertNull(debezium.map(origin("{\"id\":1}"), null), "a tombstone changes no row");

        String canal = "{\"data\": [{\"id\": \"1\"}], \"pkNames\": [\"id\"], \"isDdl\": false, \"type\": \"INSERT\"}";
        assertEquals(Map.of("id", "1"), changes("canal-json").map(origin(null), utf8(canal)).columns());
        assertEquals(1, changes("debezium-json").mapAll(origin("{\"id\":1}"),
                utf8("{\"before\":null,\"after\":{\"id\":1},\"op\":\"c\"}")).size(), "Debezium stays one row per record");
        assertEquals(List.of(), debezium.mapAll(origin("{\"id\":1}"), null), "a tombstone changes no row");
    }

    static final String CANAL = """
            {"data": [{"id": "1", "name": "ada", "city": "Hangzhou"}, {"id": "2", "name": "bob", "city": "Beijing"},
                      {"id": "3", "name": "cy", "city": null}],
             "database": "shop", "table": "users", "pkNames": ["id"], "isDdl": false, "type": "INSERT",
             "es": 1706696130000, "ts": 1706696130100, "old": null}""";

    static void assertRowsOfOneRecord(List<RowEvent> rows, RowOperation op) {
        assertEquals(3, rows.size());
        for (int i = 0; i < 3; i++) {
            RowEvent r = rows.get(i);
            assertEquals(i, r.rowIndex(), "in message order");
            assertEquals(3, r.rowCount());
            assertEquals(op, r.operation());
            assertEquals(origin(null), r.origin(), "every row has the record's origin");
            assertEquals("t", r.destination().table());
        }
    }

    @Test
    void aCanalInsertOfThreeRowsGivesThreeUpsertsInOrder() {
        List<RowEvent> rows = changes("canal-json").mapAll(origin(null), utf8(CANAL));
        assertRowsOfOneRecord(rows, RowOperation.UPSERT);
        assertEquals(List.of("1", "2", "3"), rows.stream().map(r -> r.columns().get("id")).toList());
        assertEquals(Map.of("id", "2", "name", "bob", "city", "Beijing"), rows.get(1).columns());
        assertNull(rows.get(2).columns().get("city"));
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> changes("canal-json").map(origin(null), utf8(CANAL)),
                "a caller that takes one row is not given three");
        assertTrue(e.getMessage().contains("lists 3 row changes"), e.getMessage());
    }

    @Test
    void aCanalUpdateOfThreeRowsUpsertsTheAfterImages() {
        String update = CANAL.replace("INSERT", "UPDATE").replace("\"old\": null",
                "\"old\": [{\"name\": \"x\"}, {\"name\": \"y\"}, {\"city\": \"z\"}]");
        List<RowEvent> rows = changes("canal-json").mapAll(origin(null), utf8(update));
        assertRowsOfOneRecord(rows, RowOperation.UPSERT);
        assertEquals(List.of("ada", "bob", "cy"), rows.stream().map(r -> r.columns().get("name")).toList(), "the new values");
    }

    @Test
    void aCanalDeleteOfThreeRowsDeletesEachByItsPrimaryKey() {
        String delete = CANAL.replace("INSERT", "DELETE").replace("[\"id\"]", "[\"id\", \"name\"]");
        List<RowEvent> rows = changes("canal-json").mapAll(origin(null), utf8(delete));
        assertRowsOfOneRecord(rows, RowOperation.DELETE);
        assertEquals(List.of(Map.of("id", "1", "name", "ada"), Map.of("id", "2", "name", "bob"), Map.of("id", "3", "name", "cy")),
                rows.stream().map(RowEvent::columns).toList(), "the key columns only");
    }

    @Test
    void oneBadRowMakesTheWholeMessageDirtyNamingTheRow() {
        String delete = CANAL.replace("INSERT", "DELETE").replace("{\"id\": \"2\", ", "{");
        DirtyRecordException e = assertThrows(DirtyRecordException.class,
                () -> changes("canal-json").mapAll(origin(null), utf8(delete)));
        assertTrue(e.getMessage().startsWith("row 2 of 3: "), e.getMessage());
        assertTrue(e.getMessage().contains("primary-key column \"id\""), e.getMessage());
        String notARow = CANAL.replace("{\"id\": \"3\", \"name\": \"cy\", \"city\": null}", "42");
        e = assertThrows(DirtyRecordException.class, () -> changes("canal-json").mapAll(origin(null), utf8(notARow)));
        assertTrue(e.getMessage().startsWith("row 3 of 3 of a Canal INSERT message is a "), e.getMessage());
    }
}
