package io.kwsync.ingest.format;

import io.kwsync.ingest.mapping.ColumnMapping;
import io.kwsync.ingest.mapping.JsonColumns;
import io.kwsync.ingest.mapping.KafkaType;
import io.kwsync.ingest.mapping.MappingEntry;
import io.kwsync.ingest.mapping.MappingSyntax;
import io.kwsync.ingest.mapping.SourceField;
import io.kwsync.ingest.mapping.JsonPath;
import io.kwsync.model.Origin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Checks that a decoded tree gives the columns the equivalent JSON object gives through today's JSON readers. */
final class Equivalence {

    private Equivalence() {
    }

    /** Top-level columns: equal to JsonColumns.parseObject(json), except the named byte columns, which are bytes. */
    static void columnsLikeJson(Object tree, String json, Map<String, byte[]> bytes) {
        Map<String, Object> actual = Trees.columns(tree, "value");
        Map<String, Object> expected = new LinkedHashMap<>(JsonColumns.parseObject(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), "column names and order");
        for (String name : expected.keySet()) {
            if (bytes.containsKey(name)) assertArrayEquals(bytes.get(name), (byte[]) actual.get(name), name);
            else assertEquals(expected.get(name), actual.get(name), name);
        }
    }

    /** JSON paths of a mapping ("a.b => c1, ..."): the tree gives what the JSON path reader gives on the JSON. */
    static Object[] pathsLikeJson(Object tree, String json, String mapping) {
        List<MappingEntry> entries = MappingSyntax.parse(mapping);
        List<JsonPath> paths = new ArrayList<>();
        for (MappingEntry e : entries) paths.add(((SourceField.Path) e.source()).path());
        Object[] actual = new TreePaths(paths).extract(tree);
        Map<String, Object> expected = ColumnMapping.of(entries, KafkaType.STRING, KafkaType.STRING, StandardCharsets.UTF_8)
                .apply(new Origin("t", 0, 0, 0, null, null), json.getBytes(StandardCharsets.UTF_8));
        assertEquals(Arrays.asList(expected.values().toArray()), Arrays.asList(actual), "values of " + mapping);
        return actual;
    }
}
