package io.kwsync.ingest.preview;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kwsync.ingest.config.IngestSettings;
import io.kwsync.ingest.convert.RecordMapper;
import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.ingest.kafka.Origins;
import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mapping preview: reads the last N records of every partition of the source topics with a consumer that belongs
 * to no group (so it cannot commit an offset and never disturbs the connector's group), runs each through the same
 * {@link RecordMapper} the streaming path and job runs use, and reports the row event each would produce or why it
 * would be dirty. Nothing is published: no row, no dead letter, no metric.
 *
 * <p>Every broker call has a deadline ({@link #DEADLINE} in all); a read that runs out of time reports what it read,
 * marked incomplete.
 */
@ApplicationScoped
public class MappingPreview {

    /** The most records a preview reads per partition. */
    public static final int MAX_RECORDS = 500;
    static final Duration DEADLINE = Duration.ofSeconds(15);
    /** Characters of a dirty record's value shown. */
    static final int VALUE_CHARS = 500;

    private final KafkaClients clients;
    private final IngestSettings settings;
    private final RecordMapper mapper;
    private final ObjectMapper json;
    private final Clock clock;

    public MappingPreview(KafkaClients clients, IngestSettings settings, RecordMapper mapper, ObjectMapper json, Clock clock) {
        this.clients = clients;
        this.settings = settings;
        this.mapper = mapper;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @param n records per partition, 1..{@value #MAX_RECORDS} (checked by the caller)
     * @throws KafkaException when the broker does not answer within the deadline
     */
    public PreviewReport preview(int n) {
        long deadline = clock.millis() + DEADLINE.toMillis();
        Map<String, Object> overrides = Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "kwsync-preview-" + settings.connector(),
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(MAX_RECORDS, 2 * n),
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) DEADLINE.toMillis());
        try (KafkaConsumer<byte[], byte[]> consumer = clients.consumer(overrides)) {
            List<TopicPartition> all = new ArrayList<>();
            for (String topic : settings.sourceTopics()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
                if (infos == null) continue;
                infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
            }
            all.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(all, remaining(deadline));
            Map<TopicPartition, Long> end = consumer.endOffsets(all, remaining(deadline));
            Map<TopicPartition, Long> from = new LinkedHashMap<>();
            for (TopicPartition tp : all) from.put(tp, Math.max(begin.get(tp), end.get(tp) - n));
            Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read = new LinkedHashMap<>();
            boolean complete = read(consumer, from, end, deadline, read);
            return report(n, complete, all, from, end, read);
        }
    }

    /** Fills {@code read} per partition; true when every partition's end was reached before the deadline. */
    private boolean read(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> from, Map<TopicPartition, Long> end,
                         long deadline, Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read) {
        List<TopicPartition> pending = new ArrayList<>();
        from.forEach((tp, offset) -> {
            read.put(tp, new ArrayList<>());
            if (offset < end.get(tp)) pending.add(tp);
        });
        consumer.assign(pending);
        pending.forEach(tp -> consumer.seek(tp, from.get(tp)));
        while (!pending.isEmpty() && clock.millis() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(Math.min(500, remaining(deadline).toMillis())))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                // Records produced since the end offsets were read are left for the next preview.
                if (r.offset() < end.get(tp)) read.get(tp).add(r);
            }
            // The position passes transaction markers and compacted gaps too, so it, not the record count, says "done".
            pending.removeIf(tp -> consumer.position(tp, remaining(deadline)) >= end.get(tp));
            consumer.assign(pending);
        }
        return pending.isEmpty();
    }

    private PreviewReport report(int n, boolean complete, List<TopicPartition> all, Map<TopicPartition, Long> from, Map<TopicPartition, Long> end,
                                 Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> read) {
        List<PreviewReport.PartitionRead> partitions = new ArrayList<>();
        List<PreviewReport.RecordPreview> records = new ArrayList<>();
        int rows = 0;
        for (TopicPartition tp : all) {
            List<ConsumerRecord<byte[], byte[]>> got = read.get(tp);
            partitions.add(new PreviewReport.PartitionRead(tp.topic(), tp.partition(), from.get(tp), end.get(tp), got.size()));
            for (ConsumerRecord<byte[], byte[]> r : got) {
                PreviewReport.RecordPreview p = preview(r);
                if (p.row() != null) rows++;
                records.add(p);
            }
        }
        return new PreviewReport(settings.sourceTopics(), n, complete,
                new PreviewReport.Totals(records.size(), rows, records.size() - rows), partitions, records);
    }

    private PreviewReport.RecordPreview preview(ConsumerRecord<byte[], byte[]> r) {
        Origin origin = Origins.of(r);
        String key = r.key() == null ? null : text(r.key());
        try {
            RowEvent row = mapper.map(origin, r.value());
            Map<String, Object> columns = new LinkedHashMap<>();
            row.columns().forEach((name, v) -> columns.put(name, shown(v)));
            return new PreviewReport.RecordPreview(r.topic(), r.partition(), r.offset(), r.timestamp(), key,
                    new PreviewReport.Row(row.destination().table(), row.destination().partitionSpec(), row.operation().name(), columns),
                    null);
        } catch (DirtyRecordException e) {
            String value = r.value() == null ? null : text(r.value());
            if (value != null && value.length() > VALUE_CHARS) value = value.substring(0, VALUE_CHARS) + "...";
            return new PreviewReport.RecordPreview(r.topic(), r.partition(), r.offset(), r.timestamp(), key, null,
                    new PreviewReport.Dirty(e.stage().name(), DeadLetter.describe(e), value));
        }
    }

    /** JSON columns as JSON trees (not JSON text in a string), bytes as base64. */
    private Object shown(Object v) {
        if (v instanceof JsonText j) {
            try {
                return json.readTree(j.json());
            } catch (JsonProcessingException e) {
                return j.json();
            }
        }
        if (v instanceof byte[] b) return Base64.getEncoder().encodeToString(b);
        return v;
    }

    /** UTF-8 text, or "base64:..." for bytes that are not UTF-8. */
    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return "base64:" + Base64.getEncoder().encodeToString(bytes);
        }
    }

    private Duration remaining(long deadline) {
        return Duration.ofMillis(Math.max(1, deadline - clock.millis()));
    }
}
