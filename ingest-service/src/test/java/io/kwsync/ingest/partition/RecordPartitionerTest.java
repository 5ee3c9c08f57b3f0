package io.kwsync.ingest.partition;

import io.kwsync.ingest.partition.TimePartitioner.Granularity;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Partitions from the payload: event times in each format, plain values, and every way a record can fail to give one. */
class RecordPartitionerTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 2020-11-17 15:04:05.123 in Shanghai. */
    static final long T = 1_605_596_645_123L;

    static Origin origin(long timestamp) {
        return new Origin("orders", 0, 7, timestamp, "k-1".getBytes(StandardCharsets.UTF_8),
                List.of(new Header("src", "app_1".getBytes(StandardCharsets.UTF_8))));
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static RecordPartitioner dayAndRegion(String timeField, String format, Optional<Map<String, String>> fallback) {
        TimePartitioner times = new TimePartitioner(Granularity.DAY, SHANGHAI, List.of("ds"), List.of("yyyyMMdd"));
        EventTime time = timeField == null ? EventTime.recordTimestamp()
                : EventTime.ofField(PartitionField.parse(timeField), format, SHANGHAI);
        return new RecordPartitioner(List.of("ds", "region"), Map.of("region", PartitionField.parse("value.meta.region")),
                time, times, fallback);
    }

    @ParameterizedTest(name = "{0} as {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "value.ts | epoch-seconds       | {\"ts\": 1605596645, \"meta\": {\"region\": \"eu-1\"}}",
            "value.ts | epoch-millis        | {\"ts\": 1605596645123, \"meta\": {\"region\": \"eu-1\"}}",
            "value.ts | epoch-millis        | {\"ts\": \"1605596645123\", \"meta\": {\"region\": \"eu-1\"}}",
            "value.ts | yyyy-MM-dd HH:mm:ss | {\"ts\": \"2020-11-17 15:04:05\", \"meta\": {\"region\": \"eu-1\"}}",
            "value.ts | yyyy-MM-dd          | {\"ts\": \"2020-11-17\", \"meta\": {\"region\": \"eu-1\"}}",
            "value.ts | iso                 | {\"ts\": \"2020-11-17T07:04:05Z\", \"meta\": {\"region\": \"eu-1\"}}",
            "value.ts | iso                 | {\"ts\": \"2020-11-17T15:04:05\", \"meta\": {\"region\": \"eu-1\"}}",
            "value.ts | yyyyMMddHHmmssXX    | {\"ts\": \"20201117070405+0000\", \"meta\": {\"region\": \"eu-1\"}}",
    })
    void eventTimeInEachFormat(String field, String format, String value) {
        RecordPartitioner p = dayAndRegion(field, format, Optional.empty());
        assertEquals(Map.of("ds", "20201117", "region", "eu-1"), p.partition(origin(0), json(value)));
        assertEquals(List.of("ds", "region"), List.copyOf(p.partition(origin(0), json(value)).keySet()), "the table's order");
    }

    @Test
    void theZoneDecidesTheDayOfTextWithoutOne() {
        RecordPartitioner p = dayAndRegion("value.ts", "yyyy-MM-dd HH:mm", Optional.empty());
        // 23:30 in Shanghai is 15:30 UTC the same day; an offset in the text would win over the zone
        assertEquals("20201117", p.partition(origin(0), json("{\"ts\":\"2020-11-17 23:30\",\"meta\":{\"region\":\"x\"}}")).get("ds"));
    }

    @Test
    void theRecordTimestampStaysTheDefaultAndIsCachedPerPeriod() {
        RecordPartitioner p = RecordPartitioner.byTimestamp(new TimePartitioner(Granularity.HOUR, SHANGHAI, List.of("pt"), List.of()));
        Map<String, String> a = p.partition(origin(T), null);
        assertEquals(Map.of("pt", "11-17-2020 15"), a);
        assertSame(a, p.partition(origin(T + 1000), json("not json")), "same period, same map: callers cache by identity");
    }

    @Test
    void keyHeaderAndTopicAreFieldsToo() {
        RecordPartitioner p = new RecordPartitioner(List.of("t", "k", "h"), Map.of("t", PartitionField.parse("topic"),
                "k", PartitionField.parse("key"), "h", PartitionField.parse("header.src")), EventTime.recordTimestamp(), null,
                Optional.empty());
        assertEquals(Map.of("t", "orders", "k", "k-1", "h", "app_1"), p.partition(origin(-1), null));
        Origin bare = new Origin("orders", 0, 7, -1, null, List.of());
        assertTrue(dirty(p, bare, null).contains("the partition field key (column k) is missing"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"meta\": {\"region\": \"eu\"}}                     | the partition time field value.ts is missing",
            "{\"ts\": null, \"meta\": {\"region\": \"eu\"}}        | the partition time field value.ts is null",
            "{\"ts\": true, \"meta\": {\"region\": \"eu\"}}        | value.ts holds a boolean, not epoch seconds (an integer)",
            "{\"ts\": {\"s\": 1}, \"meta\": {\"region\": \"eu\"}}  | value.ts holds an object or array, not epoch seconds",
            "{\"ts\": \"yesterday\", \"meta\": {\"region\": \"eu\"}} | value.ts holds 'yesterday', which is not epoch seconds",
            "{\"ts\": 1.5, \"meta\": {\"region\": \"eu\"}}         | value.ts holds '1.5', which is not epoch seconds",
            "{\"ts\": 99999999999999999, \"meta\": {\"region\": \"eu\"}} | outside the years 1 to 9999",
            "{\"ts\": 1605596645}                                 | the partition field value.meta.region (column region) is missing",
            "{\"ts\": 1605596645, \"meta\": {\"region\": null}}     | value.meta.region (column region) is null",
            "{\"ts\": 1605596645, \"meta\": {\"region\": [1]}}      | value.meta.region (column region) holds an object or array",
            "{\"ts\": 1605596645, \"meta\": {\"region\": \"eu/west\"}} | holds 'eu/west', which MaxCompute refuses as a partition value",
            "{\"ts\": 1605596645, \"meta\": {\"region\": \"\"}}     | holds '', which MaxCompute refuses as a partition value",
            "[1, 2]                                               | the partition time field value.ts is missing",
    })
    void aRecordWithoutAUsablePartitionIsDirtyWithTheReason(String value, String reason) {
        String message = dirty(dayAndRegion("value.ts", "epoch-seconds", Optional.empty()), origin(T), json(value));
        assertTrue(message.contains(reason), message);
    }

    @Test
    void anUnparsableTimeTextIsDirty() {
        RecordPartitioner p = dayAndRegion("value.ts", "yyyy-MM-dd HH:mm:ss", Optional.empty());
        String m = dirty(p, origin(T), json("{\"ts\":\"2020-13-45 99:00:00\",\"meta\":{\"region\":\"eu\"}}"));
        assertTrue(m.contains("holds '2020-13-45 99:00:00', which is not a date-time text in the form yyyy-MM-dd HH:mm:ss"), m);
        m = dirty(p, origin(T), json("{\"ts\":20201117,\"meta\":{\"region\":\"eu\"}}"));
        assertTrue(m.contains("holds the number 20201117, not a date-time text"), m);
    }

    @Test
    void aConfiguredDefaultPartitionTakesWhatCannotBePlaced() {
        Map<String, String> fallback = Map.of("ds", "19700101", "region", "unknown");
        RecordPartitioner p = dayAndRegion("value.ts", "epoch-millis", Optional.of(fallback));
        assertEquals(fallback, p.partition(origin(T), json("{\"ts\":\"soon\",\"meta\":{\"region\":\"eu\"}}")));
        assertEquals(fallback, p.partition(origin(T), json("{\"ts\":1605596645123,\"meta\":{\"region\":\"a,b=c\"}}")));
        assertEquals(Map.of("ds", "20201117", "region", "eu"),
                p.partition(origin(T), json("{\"ts\":1605596645123,\"meta\":{\"region\":\"eu\"}}")));
    }

    @Test
    void aRecordWithoutTimestampStaysAMappingProblem() {
        RecordPartitioner p = RecordPartitioner.byTimestamp(TimePartitioner.of(Granularity.HOUR, "UTC"));
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> p.partition(origin(-1), null));
        assertEquals(DirtyRecordException.Stage.MAP, e.stage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "value.      | is not a field", "value..a | is not a field", "payload.a | is not a field", "header. | is not a field"})
    void badFieldsAreRefused(String field, String message) {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PartitionField.parse(field)).getMessage().contains(message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"HH:mm | does not give a date", "yyyy-MM-dd {x} | neither epoch-millis", "MM-dd | does not give a date"})
    void badTimeFormatsAreRefused(String format, String message) {
        String m = assertThrows(IllegalArgumentException.class,
                () -> EventTime.ofField(PartitionField.parse("value.ts"), format, SHANGHAI)).getMessage();
        assertTrue(m.contains(message), m);
    }

    static String dirty(RecordPartitioner p, Origin origin, byte[] value) {
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> p.partition(origin, value));
        if (e.stage() != DirtyRecordException.Stage.DECODE) throw new AssertionError("stage " + e.stage() + ": " + e.getMessage());
        return e.getMessage();
    }
}
