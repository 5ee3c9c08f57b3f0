package io.kwsync.ingest.convert;

import io.kwsync.ingest.format.Change;
import io.kwsync.ingest.format.ChangeEnvelope;
import io.kwsync.ingest.format.Decoded;
import io.kwsync.ingest.format.RecordDecoder;
import io.kwsync.ingest.format.TreePaths;
import io.kwsync.ingest.format.Trees;
import io.kwsync.ingest.mapping.ColumnMapping;
import io.kwsync.ingest.mapping.JsonColumns;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Records of a schema-registry format (KWSYNC_VALUE_FORMAT avro, protobuf, json-schema) or of a change-event format
 * (debezium-json, debezium-avro, canal-json, maxwell-json): the value is decoded first, then mapped exactly as a JSON
 * object is: top-level fields as columns, or KWSYNC_MAPPING_COLUMNS with its JSON paths reading the decoded tree.
 *
 * <p>A change event becomes an upsert of its after-image or a delete by its key columns (rows format 3); an event that
 * changes no row (a tombstone, DDL) gives no row (null). A record listing several row changes (a Canal message of
 * several rows) gives them all, in order ({@link #mapAll}); one bad row makes the whole record dirty, naming the row.
 *
 * <p>Pure apart from the decoders' schema fetches; a {@link io.kwsync.ingest.format.RegistryUnavailableException}
 * passes through to the caller, which keeps the record and tries again.
 */
public final class DecodedMapper implements RecordMapper {

    private final RowDestination destination;
    private final RecordDecoder values;
    private final RecordDecoder keys;
    private final ChangeEnvelope envelope;
    private final ColumnMapping mapping;
    private final TreePaths paths;

    /**
     * @param keys     decodes the key: for change events and for {@code __key__} of a mapping; null decodes the key
     *                 by KWSYNC_SOURCE_KEY_TYPE as plain records do
     * @param envelope null for plain records
     * @param mapping  null for top-level fields as columns
     */
    public DecodedMapper(RowDestination destination, RecordDecoder values, RecordDecoder keys, ChangeEnvelope envelope,
                         ColumnMapping mapping) {
        if (envelope != null && keys == null) throw new IllegalArgumentException("change events need a key decoder");
        this.destination = destination;
        this.values = values;
        this.keys = keys;
        this.envelope = envelope;
        this.mapping = mapping;
        this.paths = mapping == null ? null : new TreePaths(mapping.paths());
    }

    /** Bytes as JSON text, undecoded: the key and value decoder of the JSON change-event formats. */
    public static RecordDecoder json() {
        return (bytes, what) -> bytes == null ? null : new Decoded.Json(bytes);
    }

    @Override
    public RowEvent map(Origin origin, byte[] value) {
        Decoded v = values.decode(value, "value");
        if (envelope != null) return change(origin, value, v);
        if (mapping == null) {
            if (v == null) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is null (a tombstone), not a record");
            }
            var columns = v instanceof Decoded.Json j
                    ? JsonColumns.parseObject(j.json()) : Trees.columns(((Decoded.Tree) v).root(), "value");
            return new RowEvent(origin, destination.of(origin, value), columns);
        }
        Object key = keys == null ? mapping.key(origin) : Trees.column(tree(keys.decode(origin.key(), "key")));
        Object root = tree(v);
        var columns = mapping.assemble(origin, key, Trees.column(root), v == null ? null : paths.extract(root));
        return new RowEvent(origin, destination.of(origin, value), columns);
    }

    @Override
    public List<RowEvent> mapAll(Origin origin, byte[] value) {
        if (envelope == null) return RecordMapper.super.mapAll(origin, value);
        return changes(origin, value, values.decode(value, "value"));
    }

    /** The only row of a change event; several are for {@link #mapAll}, whose callers keep them together. */
    private RowEvent change(Origin origin, byte[] value, Decoded v) {
        List<RowEvent> rows = changes(origin, value, v);
        if (rows.size() > 1) {
            throw new DirtyRecordException(DirtyRecordException.Stage.MAP, "the change event lists " + rows.size()
                    + " row changes where one row was expected");
        }
        return rows.isEmpty() ? null : rows.get(0);
    }

    private List<RowEvent> changes(Origin origin, byte[] value, Decoded v) {
        List<Change> changes = new ArrayList<>(1);
        for (Change c : envelope.read(keys.decode(origin.key(), "key"), v)) {
            if (c.kind() != Change.Kind.SKIP) changes.add(c);
        }
        if (changes.isEmpty()) return List.of();
        var to = destination.of(origin, value);
        int n = changes.size();
        List<RowEvent> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Change c = changes.get(i);
            Map<String, Object> columns;
            try {
                columns = Trees.columns(c.row(), "value");
            } catch (DirtyRecordException e) {
                if (n == 1) throw e;
                throw new DirtyRecordException(e.stage(), "row " + (i + 1) + " of " + n + ": " + e.getMessage(), e.getCause());
            }
            rows.add(new RowEvent(origin, to, columns, null, -1, c.operation(), i, n));
        }
        return rows;
    }

    private static Object tree(Decoded d) {
        return d == null ? null : ChangeEnvelope.tree(d, "value");
    }
}
