package io.kwsync.sink.maxcompute;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.data.RecordPack;
import io.kwsync.model.RowEvent;

import java.util.List;
import java.util.Map;

/**
 * The MaxCompute writer's per-row work as the sink does it, for the benchmark's micro-benchmark
 * ({@code io.kwsync.bench.MaxComputeWriteBench}): filling the SDK record of a row ({@link RecordFiller}) and
 * converting a batch into a block ({@link TunnelSessions#convert}). Lives in the sink's package because those are
 * package-private; the benchmark module ships it, the service never loads it.
 */
public final class WriterProbe {

    private final TableInfo table;
    private final SourceLedger ledger = new SourceLedger();

    public WriterProbe(String name, TableSchema schema) {
        this.table = new TableInfo(name, null, schema, false);
    }

    /** Makes the rows' source partitions known, with nothing taken yet, as reading the commit log would. */
    public void know(List<RowEvent> rows) {
        for (RowEvent r : rows) {
            String key = CommitLog.sourceKey(r.origin().topic(), r.origin().partition());
            if (ledger.get(key) == null) ledger.load(key, -1, List.of());
        }
    }

    /** Sorts the rows by destination as a write does first ({@link SourceLedger#plan}); returns the groups. */
    public int plan(List<RowEvent> rows) {
        return ledger.plan(rows, null, r -> null).groups.size();
    }

    /** Fills {@code record} with one row's columns; returns the row's keys without a column. */
    public int fill(Record record, Map<String, Object> columns) throws Exception {
        return RecordFiller.fill(record, table, columns);
    }

    /** Fills {@code record} with each row in turn, as a block is built but without the SDK's packing; returns the rows. */
    public int fillAll(List<RowEvent> rows, Record record) throws Exception {
        return TunnelSessions.convert(table, rows, record, r -> { }).rows().size();
    }

    /** Converts the rows into {@code record} (reused) and appends each to {@code pack}; returns the rows written. */
    public int convert(List<RowEvent> rows, Record record, RecordPack pack) throws Exception {
        TunnelSessions.Written w = TunnelSessions.convert(table, rows, record, pack::append);
        if (!w.rejected().isEmpty()) throw new IllegalStateException("refused: " + w.rejected().get(0).reason().getMessage());
        return w.rows().size();
    }
}
