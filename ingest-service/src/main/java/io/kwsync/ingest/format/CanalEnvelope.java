package io.kwsync.ingest.format;

import io.kwsync.model.DirtyRecordException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Canal's flat JSON messages: {@code type} INSERT or UPDATE upserts each row of {@code data} (the after-images);
 * DELETE deletes each row of {@code data} by the columns {@code pkNames} lists. One message may carry several rows,
 * read in order. DDL ({@code isDdl} true) is skipped. Canal writes column values as text, which is kept: the sink
 * converts text to the column types.
 */
final class CanalEnvelope implements ChangeEnvelope {

    @Override
    public List<Change> read(Decoded key, Decoded value) {
        if (value == null) return List.of(Change.skip("null value (Canal never writes one)"));
        Map<String, Object> event = ChangeEnvelope.record(ChangeEnvelope.tree(value, "value"), "Canal message");
        if (Boolean.TRUE.equals(event.get("isDdl"))) return List.of(Change.skip("Canal DDL event (not applied)"));
        if (!(event.get("type") instanceof String type)) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is not a Canal message: no \"type\" field");
        }
        if (!(event.get("data") instanceof List<?> data)) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "Canal " + type + " message without a \"data\" array");
        }
        List<Change> out = new ArrayList<>(data.size());
        List<String> pk = "DELETE".equals(type) ? names(event.get("pkNames")) : null;
        if (!"INSERT".equals(type) && !"UPDATE".equals(type) && pk == null) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "Canal message of unknown type \"" + type + "\"");
        }
        for (int i = 0; i < data.size(); i++) {
            // one bad row makes the whole message dirty: its rows are one statement, and the dead letter is the message
            String which = data.size() == 1 ? "the row" : "row " + (i + 1) + " of " + data.size();
            Map<String, Object> row = ChangeEnvelope.record(data.get(i), which + " of a Canal " + type + " message");
            if (pk == null) {
                out.add(Change.upsert(row));
                continue;
            }
            try {
                out.add(Change.delete(pick(row, pk)));
            } catch (DirtyRecordException e) {
                throw data.size() == 1 ? e : new DirtyRecordException(e.stage(), which + ": " + e.getMessage(), e.getCause());
            }
        }
        return out;
    }

    private static List<String> names(Object pkNames) {
        List<String> out = new ArrayList<>();
        if (pkNames instanceof List<?> l) {
            for (Object o : l) if (o instanceof String s) out.add(s);
        }
        if (out.isEmpty()) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE,
                    "Canal DELETE message without a primary key (\"pkNames\" is missing or empty)");
        }
        return out;
    }

    static Map<String, Object> pick(Map<String, Object> row, List<String> columns) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String c : columns) {
            if (!row.containsKey(c) || row.get(c) == null) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "delete event without a value for"
                        + " primary-key column \"" + c + "\"");
            }
            key.put(c, row.get(c));
        }
        return key;
    }
}
