package io.kwsync.ingest.convert;

import io.kwsync.ingest.format.Decoded;
import io.kwsync.ingest.format.RecordDecoder;
import io.kwsync.ingest.format.Trees;
import io.kwsync.ingest.mapping.JsonColumns;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowOperation;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a Kafka tombstone (a record whose value is null) on a plain topic does (KWSYNC_TOMBSTONE); records with a value
 * go to the wrapped mapper untouched. Change-event formats have their own rule (Debezium's tombstones follow its deletes
 * and are skipped), so this wraps only the mappers of plain topics.
 *
 * <p>A delete needs the primary key of the row, which a tombstone carries only in its record key: with
 * KWSYNC_MAPPING_COLUMNS the mapping is applied to the tombstone (its value paths give NULL, {@code __key__} and the
 * other built-in fields their values) and the result names the key columns; without one the key must be a record (a
 * JSON object, or a structured key of KWSYNC_KEY_FORMAT) whose fields are the key columns. A tombstone without a key, or
 * with a key that is not a record, goes to the error topic with that reason: a guess could delete the wrong row.
 */
public final class TombstoneMapper implements RecordMapper {

    /** The values of KWSYNC_TOMBSTONE. */
    public enum Policy {
        /** Mapped like any record with a null value, as before the setting existed (the default). */
        ROW,
        /** Deletes the row whose primary key the record key gives. */
        DELETE,
        /** Skipped: no row, nothing on the error topic. */
        IGNORE,
        /** To the error topic. */
        ERROR;

        /** The lower-case name a user writes. */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final RecordMapper mapper;
    private final Policy policy;
    private final RowDestination destination;
    private final RecordDecoder keys;
    private final boolean mapped;

    /**
     * @param keys   the decoder of structured keys (KWSYNC_KEY_FORMAT), or null to read the key as a JSON object
     * @param mapped whether {@code mapper} applies KWSYNC_MAPPING_COLUMNS, which then says where the key goes
     */
    public TombstoneMapper(RecordMapper mapper, Policy policy, RowDestination destination, RecordDecoder keys, boolean mapped) {
        this.mapper = mapper;
        this.policy = policy;
        this.destination = destination;
        this.keys = keys;
        this.mapped = mapped;
    }

    /** {@code mapper} itself when tombstones are mapped as before, so the common path pays nothing. */
    public static RecordMapper wrap(RecordMapper mapper, Policy policy, RowDestination destination, RecordDecoder keys,
                                    boolean mapped) {
        return policy == Policy.ROW ? mapper : new TombstoneMapper(mapper, policy, destination, keys, mapped);
    }

    @Override
    public List<RowEvent> mapAll(Origin origin, byte[] value) {
        return value != null ? mapper.mapAll(origin, value) : RecordMapper.super.mapAll(origin, null);
    }

    @Override
    public RowEvent map(Origin origin, byte[] value) {
        if (value != null) return mapper.map(origin, value);
        return switch (policy) {
            case ROW -> mapper.map(origin, null);
            case IGNORE -> null;
            case ERROR -> throw new DirtyRecordException(DirtyRecordException.Stage.DECODE,
                    "value is null (a Kafka tombstone), which KWSYNC_TOMBSTONE=error refuses");
            case DELETE -> delete(origin);
        };
    }

    private RowEvent delete(Origin origin) {
        if (origin.key() == null) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE,
                    "a tombstone without a record key cannot say which row to delete (KWSYNC_TOMBSTONE=delete)");
        }
        if (mapped) {
            RowEvent row = mapper.map(origin, null);
            return row == null ? null : row.withOperation(RowOperation.DELETE);
        }
        return new RowEvent(origin, destination.of(origin, null), keyColumns(origin.key()), null, -1, RowOperation.DELETE);
    }

    private Map<String, Object> keyColumns(byte[] key) {
        try {
            if (keys == null) return JsonColumns.parseObject(key);
            Decoded d = keys.decode(key, "key");
            return d instanceof Decoded.Tree t ? Trees.columns(t.root(), "key") : JsonColumns.parseObject(((Decoded.Json) d).json());
        } catch (DirtyRecordException e) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "the key of a tombstone must be a record whose"
                    + " fields are the primary-key columns (KWSYNC_TOMBSTONE=delete), or KWSYNC_MAPPING_COLUMNS must map"
                    + " __key__ to the key column: " + e.getMessage(), e);
        }
    }
}
