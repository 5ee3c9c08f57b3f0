package io.kwsync.bench;

import com.aliyun.odps.Odps;
import com.aliyun.odps.account.AliyunAccount;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordPack;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.aliyun.odps.tunnel.io.ProtobufRecordPack;
import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.kwsync.model.Destination;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import io.kwsync.sink.maxcompute.WriterProbe;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Micro-benchmark of the MaxCompute writer's CPU per record on the thread that writes, split into what is the sink's
 * own work and what is the SDK's: filling the SDK record of a key-value row (ours), packing records into a block
 * (the SDK: protobuf, checksums, compression), and the whole write of a block of 1,000 rows to the emulator in this
 * JVM (the upload's HTTP work on this thread included; the emulator decodes on its own threads, which are not
 * counted). Compressed with zlib (the sink's default), without compression, and packing alone with the SDK's other
 * algorithms; and filling and packing the benchmark's wide rows (50 columns, about 2 KB) into a table of their types.
 *
 * <p>Run: {@code dev/bench-maxcompute.sh} (options {@code --rounds=N} (7), {@code --seconds=N} per case and round
 * (2), {@code --warmup=N} seconds per case (3)). The figure is the minimum over the rounds of this thread's CPU time
 * per 1,000 records.
 */
public final class MaxComputeWriteBench {

    private static final String PROJECT = "kwsync_bench";
    private static final String TABLE = "bench_kv";
    private static final String WIDE = "bench_wide";
    private static final int BATCH = 1000;
    /** About 200 bytes, the shape of the benchmark's narrow JSON record. */
    private static final String VALUE = "{\"id\":%d,\"user\":\"user-%05d\",\"item\":\"sku-ABCDEFGH-%04d\",\"qty\":3,"
            + "\"price\":199.99,\"currency\":\"EUR\",\"created_at\":\"2024-01-31T10:15:30.123Z\",\"status\":\"PAID\","
            + "\"address\":{\"city\":\"Oslo\",\"zip\":\"0150\"},\"gift\":false}";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = MicroBench.options(args);
        try (MaxComputeEmulator mc = MaxComputeEmulator.builder().keepRows(false).start().createProject(PROJECT)) {
            mc.execute(PROJECT, "CREATE TABLE " + TABLE + " (`topic` STRING, `partition` BIGINT, `offset` BIGINT, `key` STRING, `value` STRING)");
            Odps odps = new Odps(new AliyunAccount(MaxComputeEmulator.ACCESS_ID, MaxComputeEmulator.ACCESS_KEY));
            odps.setEndpoint(mc.endpoint());
            odps.setDefaultProject(PROJECT);
            TableTunnel tunnel = new TableTunnel(odps);
            tunnel.setEndpoint(mc.tunnelEndpoint());
            TableTunnel.UploadSession session = tunnel.createUploadSession(PROJECT, TABLE);
            WriterProbe probe = new WriterProbe(TABLE, session.getSchema());
            List<RowEvent> rows = rows();
            probe.know(rows);
            List<Record> filled = new ArrayList<>();
            for (RowEvent r : rows) {
                Record rec = session.newRecord();
                probe.fill(rec, r.columns());
                filled.add(rec);
            }
            CompressOption zlib = new CompressOption();
            CompressOption raw = new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);
            Record record = session.newRecord();
            long[] block = {0};

            Map<String, IntSupplier> cases = new LinkedHashMap<>();
            cases.put("ours: fill the record (RecordFiller)", unchecked(() -> probe.fillAll(rows, record)));
            cases.put("ours: plan the write (SourceLedger)", () -> probe.plan(rows));
            Map<String, CompressOption> codecs = new LinkedHashMap<>();
            codecs.put("zlib", zlib);
            codecs.put("raw", raw);
            codecs.put("snappy", new CompressOption(CompressOption.CompressAlgorithm.ODPS_SNAPPY, 1, 0));
            codecs.put("lz4", new CompressOption(CompressOption.CompressAlgorithm.ODPS_LZ4_FRAME, 1, 0));
            codecs.put("zstd", new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZSTD, 1, 0));
            codecs.forEach((name, option) -> cases.put("SDK:  pack filled records, " + name, unchecked(() -> pack(session.newRecordPack(option), filled))));
            cases.put("fill + pack, zlib", unchecked(() -> convert(probe, rows, record, session.newRecordPack(zlib))));
            cases.put("fill + pack, raw", unchecked(() -> convert(probe, rows, record, session.newRecordPack(raw))));
            cases.put("fill + pack + writeBlock, zlib", unchecked(() -> write(session, probe, rows, record, zlib, block)));
            cases.put("fill + pack + writeBlock, raw", unchecked(() -> write(session, probe, rows, record, raw, block)));
            // the benchmark's wide shape (--shape=wide) as json-columns rows: 50 columns, about 2 KB
            mc.execute(PROJECT, "CREATE TABLE " + WIDE + " (" + wideColumns() + ")");
            TableTunnel.UploadSession wideSession = tunnel.createUploadSession(PROJECT, WIDE);
            WriterProbe wideProbe = new WriterProbe(WIDE, wideSession.getSchema());
            List<RowEvent> wideRows = wideRows();
            wideProbe.know(wideRows);
            Record wideRecord = wideSession.newRecord();
            cases.put("ours: fill the record, 50 columns", unchecked(() -> wideProbe.fillAll(wideRows, wideRecord)));
            cases.put("fill + pack, zlib, 50 columns", unchecked(() -> convert(wideProbe, wideRows, wideRecord, wideSession.newRecordPack(zlib))));
            String only = opts.get("only");
            List<MicroBench.Case> measured = cases.entrySet().stream().filter(e -> only == null || e.getKey().contains(only))
                    .map(e -> new MicroBench.Case(e.getKey(), e.getValue(), BATCH)).toList();
            System.out.printf("block of %d key-value rows (value %d bytes):", BATCH, VALUE.formatted(0, 0, 0).length());
            for (Map.Entry<String, CompressOption> c : codecs.entrySet()) {
                System.out.printf(" %s %d bytes", c.getKey(), pack(session.newRecordPack(c.getValue()), filled));
            }
            System.out.println();
            List<MicroBench.Figures> figures = MicroBench.measure(measured, opts);
            System.out.printf("%-44s %14s %14s %18s %18s%n", "case (per 1,000 rows)", "ns/rec (min)", "ns/rec (med)",
                    "CPU ms/1000 (min)", "CPU ms/1000 (med)");
            for (int c = 0; c < measured.size(); c++) {
                MicroBench.Figures f = figures.get(c);
                System.out.printf("%-44s %14.0f %14.0f %18.3f %18.3f%n", measured.get(c).name(), f.min(f.nsPerRecord()),
                        f.median(f.nsPerRecord()), f.min(f.cpuMsPer1000()), f.median(f.cpuMsPer1000()));
            }
        }
    }

    private static List<RowEvent> rows() {
        List<RowEvent> rows = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            // a poll's records come partition by partition: four runs of 250
            Origin origin = new Origin("bench-src", i * 4 / BATCH, 1_000_000L + i, 1_700_000_000_000L,
                    ("k" + i).getBytes(StandardCharsets.UTF_8), List.of());
            Map<String, Object> columns = new LinkedHashMap<>(16);
            columns.put("topic", origin.topic());
            columns.put("partition", (long) origin.partition());
            columns.put("offset", origin.offset());
            columns.put("key", "k" + i);
            columns.put("value", VALUE.formatted(i, i % 100_000, i % 10_000));
            // through the rows topic's codec, as the sink gets them: names shared, a partition map per row
            rows.add(RowEventCodec.decode(RowEventCodec.encode(new RowEvent(origin, new Destination(TABLE, Map.of("pt", "2026120508")), columns))));
        }
        return rows;
    }

    /** The wide shape's columns in MaxCompute types; its date-times carry no zone, so TIMESTAMP_NTZ takes them. */
    private static String wideColumns() {
        StringBuilder sb = new StringBuilder();
        for (String c : Shape.WIDE.columns()) {
            String type = switch (c.charAt(0)) {
                case 'i', 'p', 'l' -> "BIGINT";
                case 'd' -> "DECIMAL(14,4)";
                case 't' -> "TIMESTAMP_NTZ";
                default -> "STRING";
            };
            sb.append(sb.isEmpty() ? "" : ", ").append('`').append(c).append("` ").append(type);
        }
        return sb.toString();
    }

    /** 1,000 wide rows as ingest's json-columns layout gives them (numbers as Longs, the rest as text), decoded. */
    private static List<RowEvent> wideRows() {
        Workload workload = new Workload(42, 4, Shape.WIDE);
        List<String> names = Shape.WIDE.columns();
        List<RowEvent> rows = new ArrayList<>(BATCH);
        for (int i = 0; i < BATCH; i++) {
            Object[] f = workload.fields(i, 1_700_000_000_000L);
            Map<String, Object> columns = new LinkedHashMap<>(64);
            for (int c = 0; c < names.size(); c++) {
                columns.put(names.get(c), f[c] instanceof Long ? f[c] : (Object) (f[c] instanceof Shape.Stamp st ? st.json() : f[c].toString()));
            }
            Origin origin = new Origin("bench-wide", i * 4 / BATCH, 1_000_000L + i, 1_700_000_000_000L, null, List.of());
            rows.add(RowEventCodec.decode(RowEventCodec.encode(new RowEvent(origin, Destination.table(WIDE), columns))));
        }
        return rows;
    }

    private static int pack(RecordPack pack, List<Record> records) throws Exception {
        for (Record r : records) pack.append(r);
        ((ProtobufRecordPack) pack).complete();
        return ((ProtobufRecordPack) pack).getProtobufStream().size();
    }

    private static int convert(WriterProbe probe, List<RowEvent> rows, Record record, RecordPack pack) throws Exception {
        probe.convert(rows, record, pack);
        ((ProtobufRecordPack) pack).complete();
        return ((ProtobufRecordPack) pack).getProtobufStream().size();
    }

    /** One block as the sink writes it; block ids cycle within the 20,000 a session takes (a block id again replaces). */
    private static int write(TableTunnel.UploadSession session, WriterProbe probe, List<RowEvent> rows, Record record,
                             CompressOption compression, long[] block) throws Exception {
        RecordPack pack = session.newRecordPack(compression);
        int n = probe.convert(rows, record, pack);
        session.writeBlock(block[0]++ % 20_000, pack);
        return n;
    }

    @FunctionalInterface
    private interface Op {
        int run() throws Exception;
    }

    private static IntSupplier unchecked(Op op) {
        return () -> {
            try {
                return op.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
