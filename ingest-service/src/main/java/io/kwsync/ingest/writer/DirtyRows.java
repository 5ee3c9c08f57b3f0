package io.kwsync.ingest.writer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kwsync.ingest.outbound.SourceText;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The error-topic records of a run's dirty rows: the value is the source row as a JSON object (column name to value),
 * the headers name the connector, the stage, the reason and the exception like every kwsync dead letter, plus where
 * the row came from (the statement or table read, its number in the run, the run, the topic it was meant for). The
 * first rows are also kept, so that a run failing on its dirty-row limit can still show them after its transaction
 * is rolled back.
 */
final class DirtyRows {

    static final String SOURCE = DeadLetter.PREFIX + "source";
    static final String ROW = DeadLetter.PREFIX + "row";
    static final String RUN = DeadLetter.PREFIX + "run";
    static final String TARGET = DeadLetter.PREFIX + "target.topic";
    /** Dirty rows kept per run for the record of a failed run. */
    static final int KEPT = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String errorTopic;
    private final String connector;
    private final String target;
    private final ZoneId zone;
    private final List<ProducerRecord<byte[], byte[]>> kept = new ArrayList<>();

    DirtyRows(String errorTopic, String connector, String target, ZoneId zone) {
        this.errorTopic = errorTopic;
        this.connector = connector;
        this.target = target;
        this.zone = zone;
    }

    /** The dead letter of row number {@code row} (1-based) of the run; the first {@link #KEPT} are kept. */
    ProducerRecord<byte[], byte[]> record(List<String> columns, Object[] values, long row, String runId, String source,
                                          DirtyRecordException e) {
        RecordHeaders h = new RecordHeaders();
        header(h, DeadLetter.CONNECTOR, connector);
        header(h, DeadLetter.STAGE, e.stage().name());
        header(h, DeadLetter.REASON, DeadLetter.describe(e));
        header(h, DeadLetter.EXCEPTION, e.getClass().getName());
        header(h, SOURCE, source);
        header(h, ROW, Long.toString(row));
        header(h, RUN, runId);
        header(h, TARGET, target);
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(errorTopic, null, (byte[]) null, json(columns, values), h);
        if (kept.size() < KEPT) kept.add(r);
        return r;
    }

    List<ProducerRecord<byte[], byte[]>> kept() {
        return List.copyOf(kept);
    }

    private byte[] json(List<String> columns, Object[] values) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            row.put(i < columns.size() ? columns.get(i) : "column" + i, values[i] == null ? null : SourceText.tree(values[i], zone));
        }
        try {
            return JSON.writeValueAsBytes(row);
        } catch (JsonProcessingException e) {
            return ("{\"unwritable row\":\"" + e.getOriginalMessage() + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private static void header(RecordHeaders h, String name, String value) {
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
