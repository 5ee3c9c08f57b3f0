package io.kwsync.ingest.convert;

import io.kwsync.ingest.format.Decoded;
import io.kwsync.ingest.mapping.ColumnMapping;
import io.kwsync.ingest.mapping.KafkaType;
import io.kwsync.ingest.route.RoutedMapper;
import io.kwsync.ingest.route.TableRouter;
import io.kwsync.ingest.route.TableTemplate;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowOperation;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kwsync.ingest.convert.TombstoneMapper.Policy.DELETE;
import static io.kwsync.ingest.convert.TombstoneMapper.Policy.ERROR;
import static io.kwsync.ingest.convert.TombstoneMapper.Policy.IGNORE;
import static io.kwsync.ingest.convert.TombstoneMapper.Policy.ROW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KWSYNC_TOMBSTONE: a null value mapped as before, deleting by the record key, skipped or refused. */
class TombstoneMapperTest {

    static final RowDestination TABLE = RowDestination.fixed("t");

    static Origin origin(String key) {
        return new Origin("src", 0, 5, 1_700_000_000_000L, key == null ? null : key.getBytes(StandardCharsets.UTF_8), List.of());
    }

    static RecordMapper json(TombstoneMapper.Policy p) {
        return TombstoneMapper.wrap(new JsonObjectMapper(TABLE, StandardCharsets.UTF_8), p, TABLE, null, false);
    }

    static RecordMapper mapped(String mapping, KafkaType keyType, TombstoneMapper.Policy p) {
        ColumnMapping m = ColumnMapping.parse(mapping, keyType, KafkaType.STRING, StandardCharsets.UTF_8);
        return TombstoneMapper.wrap(new ColumnMappingMapper(TABLE, m), p, TABLE, null, true);
    }

    @Test
    void recordsWithAValueAreMappedAsBeforeWhateverThePolicy() {
        byte[] value = "{\"id\":1,\"name\":\"a\"}".getBytes(StandardCharsets.UTF_8);
        for (TombstoneMapper.Policy p : TombstoneMapper.Policy.values()) {
            RowEvent row = json(p).map(origin("{\"id\":1}"), value);
            assertEquals(Map.of("id", 1L, "name", "a"), row.columns(), p.text());
            assertEquals(RowOperation.UPSERT, row.operation(), p.text());
        }
    }

    @Test
    void theDefaultKeepsTodaysBehaviourAndCostsNothing() {
        RecordMapper plain = new JsonObjectMapper(TABLE, StandardCharsets.UTF_8);
        assertSame(plain, TombstoneMapper.wrap(plain, ROW, TABLE, null, false));
        assertThrows(DirtyRecordException.class, () -> json(ROW).map(origin("{\"id\":1}"), null),
                "without a mapping a tombstone is not a JSON object, as before");
        Map<String, Object> nulls = new LinkedHashMap<>();
        nulls.put("id", "7");
        nulls.put("name", null);
        RowEvent row = mapped("__key__ => id, name", KafkaType.STRING, ROW).map(origin("7"), null);
        assertEquals(nulls, row.columns(), "with a mapping, NULL for each path, as before");
        assertEquals(RowOperation.UPSERT, row.operation());
    }

    @Test
    void ignoreSkipsAndErrorRefusesWithTheReason() {
        assertNull(json(IGNORE).map(origin("{\"id\":1}"), null));
        assertNull(mapped("__key__ => id, name", KafkaType.STRING, IGNORE).map(origin("7"), null));
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> json(ERROR).map(origin("{\"id\":1}"), null));
        assertTrue(e.getMessage().contains("tombstone") && e.getMessage().contains("KWSYNC_TOMBSTONE=error"), e.getMessage());
        assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
    }

    @Test
    void deleteTakesTheKeyColumnsFromAJsonObjectKey() {
        RowEvent row = json(DELETE).map(origin("{\"id\":1,\"region\":\"eu\"}"), null);
        assertEquals(RowOperation.DELETE, row.operation());
        assertEquals(Map.of("id", 1L, "region", "eu"), row.columns());
        assertEquals("t", row.destination().table());
        assertEquals(5, row.origin().offset());
    }

    @Test
    void deleteWithAMappingPutsTheKeyWhereTheMappingSays() {
        RowEvent row = mapped("__key__ => id, name", KafkaType.STRING, DELETE).map(origin("42"), null);
        assertEquals(RowOperation.DELETE, row.operation());
        assertEquals("42", row.columns().get("id"));
    }

    @Test
    void deleteWithAStructuredKeyReadsItsFields() {
        RecordMapper m = TombstoneMapper.wrap(new JsonObjectMapper(TABLE, StandardCharsets.UTF_8), DELETE, TABLE,
                (bytes, what) -> new Decoded.Tree(Map.of("id", 9L)), false);
        RowEvent row = m.map(origin("ignored, the decoder gives the tree"), null);
        assertEquals(Map.of("id", 9L), row.columns());
        assertEquals(RowOperation.DELETE, row.operation());
    }

    @Test
    void aRoutedDeleteGoesToTheRoutedTableAndAValueTemplateCannotRouteATombstone() {
        RecordMapper byTopic = new RoutedMapper(json(DELETE), new TableRouter(TableTemplate.parse("ods_${topic}"), Map.of(), null, 128));
        RowEvent row = byTopic.map(origin("{\"id\":1}"), null);
        assertEquals("ods_src", row.destination().table());
        assertEquals(RowOperation.DELETE, row.operation());
        RecordMapper byValue = new RoutedMapper(json(DELETE), new TableRouter(TableTemplate.parse("${value.kind}_t"), Map.of(), null, 128));
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> byValue.map(origin("{\"id\":1}"), null));
        assertTrue(e.getMessage().startsWith("routing:"), e.getMessage());
    }

    @Test
    void aDeleteThatCannotNameItsRowIsRefusedNeverGuessed() {
        DirtyRecordException noKey = assertThrows(DirtyRecordException.class, () -> json(DELETE).map(origin(null), null));
        assertTrue(noKey.getMessage().contains("without a record key"), noKey.getMessage());
        DirtyRecordException scalar = assertThrows(DirtyRecordException.class, () -> json(DELETE).map(origin("42"), null));
        assertTrue(scalar.getMessage().contains("__key__"), scalar.getMessage());
        assertThrows(DirtyRecordException.class, () -> json(DELETE).map(origin("not json"), null));
    }
}
