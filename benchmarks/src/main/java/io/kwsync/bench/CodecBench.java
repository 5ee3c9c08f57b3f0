package io.kwsync.bench;

import io.kwsync.ingest.convert.JsonObjectMapper;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.sink.jdbc.dialect.BulkLoader;
import io.kwsync.sink.jdbc.dialect.BulkText;
import io.kwsync.sink.jdbc.dialect.MySqlDialect;
import io.kwsync.sink.jdbc.schema.TableName;
import io.kwsync.sink.jdbc.schema.TableSchema;
import io.kwsync.sink.jdbc.write.ColumnWriter;
import io.kwsync.sink.jdbc.write.RowPlan;
import io.kwsync.sink.jdbc.write.SchemaCache;

import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Micro-benchmark of the per-record work around the rows topic, without Kafka or a database: a row event's encoding
 * (ingest) and decoding (sink), for the benchmark's two record shapes
 * (7 and 50 columns, with the value types the JSON of {@link Workload} gives). One thread, warm, interleaved rounds;
 * the figure is the thread's CPU time per 1,000 records, the minimum over the rounds, which is what other work on a
 * shared machine disturbs least. Checks first that decoding gives back the encoded row.
 *
 * <p>Run: {@code dev/bench-codec.sh} (options {@code --rounds=N} (7), {@code --seconds=N} per case and round (2),
 * {@code --warmup=N} seconds per case (3), {@code --only=TEXT}: only the cases whose name holds it).
 */
public final class CodecBench {

    public static void main(String[] args) {
        Map<String, String> opts = MicroBench.options(args);

        Origin origin = new Origin("bench", 3, 123_456_789L, 1_700_000_000_000L, "k123456789".getBytes(StandardCharsets.UTF_8), List.of());
        RowEvent narrow = new RowEvent(origin, Destination.table("bench_narrow"), columns(Shape.NARROW), null, 123_456_788L);
        RowEvent wide = new RowEvent(origin, Destination.table("bench_wide"), columns(Shape.WIDE), null, 123_456_788L);
        byte[] narrowBytes = RowEventCodec.encode(narrow);
        byte[] wideBytes = RowEventCodec.encode(wide);
        if (!RowEventCodec.decode(narrowBytes).equals(narrow) || !RowEventCodec.decode(wideBytes).equals(wide)) {
            throw new IllegalStateException("decoding does not give back the encoded row");
        }
        Map<String, Object> narrowColumns = new LinkedHashMap<>(narrow.columns());

        Map<String, IntSupplier> cases = new LinkedHashMap<>();
        JsonRecords narrowJson = new JsonRecords(Shape.NARROW, origin);
        JsonRecords wideJson = new JsonRecords(Shape.WIDE, origin);
        cases.put("ingest: JSON to RowEvent, 7 columns", narrowJson::map);
        cases.put("ingest: JSON to RowEvent, 50 columns", wideJson::map);
        cases.put("ingest: JSON to encoded RowEvent, 7 columns", narrowJson::mapAndEncode);
        cases.put("ingest: JSON to encoded RowEvent, 50 columns", wideJson::mapAndEncode);
        cases.put("ingest: new RowEvent, 7 columns", () -> new RowEvent(origin, narrow.destination(), narrowColumns, null, 1).columns().size());
        cases.put("ingest: encode, 7 columns", () -> RowEventCodec.encode(narrow).length);
        cases.put("ingest: encode, 50 columns", () -> RowEventCodec.encode(wide).length);
        cases.put("sink:   decode, 7 columns", () -> RowEventCodec.decode(narrowBytes).columns().size());
        cases.put("sink:   decode, 50 columns", () -> RowEventCodec.decode(wideBytes).columns().size());
        List<RowEvent> narrowBatch = batch(narrowBytes);
        List<RowEvent> wideBatch = batch(wideBytes);
        SinkPlan narrowPlan = new SinkPlan(Shape.NARROW);
        SinkPlan widePlan = new SinkPlan(Shape.WIDE);
        cases.put("sink:   plan + LOAD DATA text, 7 columns", () -> narrowPlan.text(narrowBatch));
        cases.put("sink:   plan + LOAD DATA text, 50 columns", () -> widePlan.text(wideBatch));
        // the writer's whole path short of the database: 1,000 records of their own values decoded, planned, written
        List<byte[]> narrowRecords = records(origin, narrow.destination(), Shape.NARROW);
        List<byte[]> wideRecords = records(origin, wide.destination(), Shape.WIDE);
        cases.put("sink:   decode + plan + text, 7 columns", () -> narrowPlan.text(decodeAll(narrowRecords)));
        cases.put("sink:   decode + plan + text, 50 columns", () -> widePlan.text(decodeAll(wideRecords)));
        Map<String, Integer> rowsPerCall = Map.of("sink:   plan + LOAD DATA text, 7 columns", BATCH,
                "sink:   plan + LOAD DATA text, 50 columns", BATCH, "sink:   decode + plan + text, 7 columns", BATCH,
                "sink:   decode + plan + text, 50 columns", BATCH);
        System.out.printf("row event sizes: 7 columns %d bytes, 50 columns %d bytes%n", narrowBytes.length, wideBytes.length);

        if (opts.containsKey("only")) cases.keySet().removeIf(name -> !name.contains(opts.get("only")));
        List<MicroBench.Case> measured = cases.entrySet().stream()
                .map(e -> new MicroBench.Case(e.getKey(), e.getValue(), rowsPerCall.getOrDefault(e.getKey(), 1))).toList();
        List<MicroBench.Figures> figures = MicroBench.measure(measured, opts);
        System.out.printf("%-44s %18s %18s%n", "case", "CPU ms/1000 (min)", "CPU ms/1000 (med)");
        for (int c = 0; c < measured.size(); c++) {
            MicroBench.Figures f = figures.get(c);
            System.out.printf("%-44s %18.4f %18.4f%n", measured.get(c).name(), f.min(f.cpuMsPer1000()), f.median(f.cpuMsPer1000()));
        }
    }

    /** One record's columns as ingest builds them from the benchmark's JSON: integers as Long, the rest as text. */
    private static Map<String, Object> columns(Shape shape) {
        List<String> names = shape.columns();
        Object[] f = new Workload(42, 4, shape).fields(42, 1_700_000_000_000L);
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), f[i] instanceof Long ? f[i] : (Object) (f[i] instanceof Shape.Stamp s ? s.json() : f[i].toString()));
        }
        return out;
    }

    /** 1,000 rows decoded from one event, each with its own offset (the sink plans a batch of rows, not one). */
    private static List<RowEvent> batch(byte[] event) {
        List<RowEvent> rows = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) rows.add(RowEventCodec.decode(event).chainedAfter(-1));
        return rows;
    }

    /** {@link #BATCH} encoded records of consecutive offsets, each with the benchmark's values for its number. */
    private static List<byte[]> records(Origin origin, Destination destination, Shape shape) {
        Workload workload = new Workload(42, 4, shape);
        List<String> names = shape.columns();
        List<byte[]> records = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            Object[] f = workload.fields(i, 1_700_000_000_000L + i);
            Map<String, Object> columns = new LinkedHashMap<>();
            for (int c = 0; c < names.size(); c++) {
                columns.put(names.get(c), f[c] instanceof Long ? f[c] : (Object) (f[c] instanceof Shape.Stamp st ? st.json() : f[c].toString()));
            }
            Origin o = new Origin(origin.topic(), origin.partition(), origin.offset() + i, origin.timestamp() + i, origin.key(), List.of());
            records.add(RowEventCodec.encode(new RowEvent(o, destination, columns, null, o.offset() - 1)));
        }
        return records;
    }

    private static List<RowEvent> decodeAll(List<byte[]> records) {
        List<RowEvent> rows = new ArrayList<>(records.size());
        for (byte[] r : records) rows.addAll(RowEventCodec.decodeAll(r));
        return rows;
    }

    private static final int BATCH = 1000;

    /**
     * What ingest does with a source record's value under the column-per-key rule: parse the JSON into a row event
     * (and encode it). 4,096 different records of the benchmark's JSON in turn, about 1 MiB of the narrow shape, so the
     * values are not all in the CPU's cache, as a poll's are not.
     */
    private static final class JsonRecords {
        private final byte[][] values = new byte[4096][];
        private final JsonObjectMapper mapper;
        private final Origin origin;
        private int next;

        JsonRecords(Shape shape, Origin origin) {
            Workload w = new Workload(42, 4, shape);
            for (int i = 0; i < values.length; i++) values[i] = w.json(i, 1_700_000_000_000L + i);
            mapper = new JsonObjectMapper(Destination.table(shape == Shape.NARROW ? "bench_narrow" : "bench_wide"));
            this.origin = origin;
        }

        int map() {
            return mapper.map(origin, values[next++ & (values.length - 1)]).columns().size();
        }

        int mapAndEncode() {
            return RowEventCodec.encode(mapper.map(origin, values[next++ & (values.length - 1)]), 1).length;
        }
    }

    /**
     * What the sink does with a batch of decoded rows for a MariaDB table of the benchmark's definition, short of
     * sending it: the row plan (matching and coercing every value), then the LOAD DATA text of its rows.
     */
    private static final class SinkPlan {
        private final SchemaCache.Entry entry;
        private final BulkLoader loader;
        private final BulkText text;

        SinkPlan(Shape shape) {
            MySqlDialect dialect = new MySqlDialect();
            List<TableSchema.Column> columns = new ArrayList<>();
            for (String name : shape.columns()) {
                int i = columns.size();
                columns.add(switch (type(shape, name)) {
                    case "BIGINT" -> new TableSchema.Column(i, name, Types.BIGINT, "BIGINT", 19, 0, false, false);
                    case "DECIMAL" -> new TableSchema.Column(i, name, Types.DECIMAL, "DECIMAL", shape == Shape.NARROW ? 12 : 14,
                            shape == Shape.NARROW ? 2 : 4, false, false);
                    case "DATETIME" -> new TableSchema.Column(i, name, Types.TIMESTAMP, "DATETIME", 23, 3, false, false);
                    default -> new TableSchema.Column(i, name, Types.VARCHAR, "VARCHAR", shape == Shape.NARROW ? 96 : 64, 0, false, false);
                });
            }
            TableSchema schema = new TableSchema(TableName.parse("bench"), columns, List.of(columns.get(0)));
            ColumnWriter[] writers = new ColumnWriter[columns.size()];
            for (TableSchema.Column c : columns) {
                writers[c.index()] = new ColumnWriter(dialect.rules(c), dialect.bindsTextUntyped(), dialect.bindsTemporalAsText(),
                        ZoneOffset.UTC);
            }
            entry = new SchemaCache.Entry(schema, schema.lookup(), writers, 0);
            loader = dialect.bulkLoader();
            text = loader.newText();
        }

        private static String type(Shape shape, String name) {
            if (name.equals("id") || name.equals("produced_ms")) return "BIGINT";
            if (shape == Shape.NARROW) return name.equals("amount") ? "DECIMAL" : "VARCHAR";
            return switch (name.charAt(0)) {
                case 'l' -> "BIGINT";
                case 'd' -> "DECIMAL";
                case 't' -> "DATETIME";
                default -> "VARCHAR";
            };
        }

        /** Plans the batch and writes its text: one call is the work of {@link #BATCH} rows. */
        int text(List<RowEvent> rows) {
            RowPlan plan = RowPlan.of(rows, entry, null);
            if (!plan.rejected().isEmpty()) throw new IllegalStateException(plan.rejected().get(0).reason().getMessage());
            text.reset();
            for (RowPlan.Group g : plan.groups()) {
                for (Object[] row : g.values()) {
                    for (int i = 0; i < row.length; i++) {
                        if (!loader.append(text, g.writers().get(i).kind(), row[i])) throw new IllegalStateException("no text");
                    }
                    text.endRow();
                }
            }
            return text.size();
        }
    }
}
