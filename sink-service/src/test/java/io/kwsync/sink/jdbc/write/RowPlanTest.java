package io.kwsync.sink.jdbc.write;

import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.sink.jdbc.dialect.ColumnKind;
import io.kwsync.sink.jdbc.dialect.ColumnRules;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;
import org.junit.jupiter.api.Test;

import java.sql.Types;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RowPlanTest {

    static final TableSchema SCHEMA = new TableSchema(TableName.parse("t"), List.of(
            new TableSchema.Column(0, "id", Types.BIGINT, "BIGINT", 19, -1, false, false),
            new TableSchema.Column(1, "name", Types.VARCHAR, "VARCHAR", 10, -1, false, true),
            new TableSchema.Column(2, "score", Types.INTEGER, "INT", 10, -1, true, false)));
    static final SchemaCache.Entry ENTRY = entry(SCHEMA);

    static SchemaCache.Entry entry(TableSchema s) {
        ColumnWriter[] w = s.columns().stream().map(c -> new ColumnWriter(ColumnRules.standard(c, ColumnKind.of(c)), false, false, ZoneOffset.UTC))
                .toArray(ColumnWriter[]::new);
        return new SchemaCache.Entry(s, s.lookup(), w, 0);
    }

    private long offset;

    RowEvent row(Object... kv) {
        Map<String, Object> c = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) c.put((String) kv[i], kv[i + 1]);
        return new RowEvent(new Origin("s", 0, offset++, 0, null, List.of()), Destination.table("t"), c);
    }

    static List<String> describe(RowPlan plan) {
        return plan.order().stream().map(p -> p.group().columns().stream().map(TableSchema.Column::name).toList()
                + "=" + Arrays.toString(p.group().values().get(p.index())) + " from "
                + p.group().sources().get(p.index()).stream().map(r -> r.origin().offset()).toList()).toList();
    }

    @Test
    void insertKeepsEveryRowGroupedByItsColumnsInSourceOrder() {
        RowPlan plan = RowPlan.of(List.of(row("id", 1L, "name", "a"), row("id", 2L), row("id", 1L, "name", "b", "x", 1L),
                row("ID", "3", "Name", "c")), ENTRY, null);
        assertEquals(List.of("[id, name]=[1, a] from [0]", "[id]=[2] from [1]", "[id, name]=[1, b] from [2]",
                "[id, name]=[3, c] from [3]"), describe(plan));
        assertEquals(2, plan.groups().size());
        assertEquals(1, plan.unknownKeys());
        assertEquals(4, plan.rowCount());
    }

    @Test
    void upsertMergesRowsWithTheSameKeyLaterColumnsWinning() {
        RowPlan plan = RowPlan.of(List.of(row("id", 1L, "name", "a", "score", 1L), row("id", 2L, "name", "b"),
                row("id", "1", "score", 5L), row("id", 1L, "name", "c"), row("id", 2L, "score", null)), ENTRY, List.of(SCHEMA.columns().get(0)));
        assertEquals(List.of("[id, name, score]=[1, c, 5] from [0, 2, 3]", "[id, name, score]=[2, b, null] from [1, 4]"),
                describe(plan));
        assertEquals(5, plan.rowCount());
    }

    @Test
    void aDirtyRowIsRejectedAloneAndNeverMerged() {
        RowPlan plan = RowPlan.of(List.of(row("id", 1L, "name", "a"), row("id", 1L, "score", "lots"), row("id", 1L, "name", null),
                row("name", "x"), row("nothing", 1L)), ENTRY, List.of(SCHEMA.columns().get(0)));
        assertEquals(List.of("[id, name]=[1, a] from [0]"), describe(plan));
        assertEquals(List.of("table t: column score (INT) cannot take string \"lots\": not a number",
                "table t: null for NOT NULL column name", "table t: no value for NOT NULL column id",
                "table t: no key of the message [nothing] matches a column"),
                plan.rejected().stream().map(r -> r.reason().getMessage()).toList());
    }

    @Test
    void partitionValuesFillTheTablesColumnsOfTheSameNameAndWinOverKeys() {
        RowEvent partitioned = new RowEvent(new Origin("s", 0, offset++, 0, null, List.of()),
                new Destination("t", Map.of("NAME", "eu", "ds", "20201117")), Map.of("id", 1L, "name", "from-json"));
        RowPlan plan = RowPlan.of(List.of(partitioned, row("id", 2L, "name", "b")), ENTRY, null);
        assertEquals(List.of("[id, name]=[1, eu] from [0]", "[id, name]=[2, b] from [1]"), describe(plan),
                "name takes the partition value; ds, which the table lacks, is left out");
        assertEquals(0, plan.unknownKeys(), "a partition column the table lacks is not an unknown key");
    }
}
