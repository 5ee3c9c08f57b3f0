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

        String canal = "{\"data\": [{\"id\": \"1\"}, {\"id\": \"2\"}], \"pkNames\": [\"id\"], \"isDdl\": false, \"type\": \"INSERT\"}";
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> changes("canal-json").map(origin(null), utf8(canal)));
        assertTrue(e.getMessage().contains("lists 2 row changes"), e.getMessage());
        assertEquals(Map.of("id", "1"), changes("canal-json").map(origin(null), utf8(canal.replace(", {\"id\": \"2\"}", ""))).columns());
    }
}
