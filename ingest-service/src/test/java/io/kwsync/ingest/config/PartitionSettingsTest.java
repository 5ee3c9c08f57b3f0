package io.kwsync.ingest.config;

import io.kwsync.ingest.partition.RecordPartitioner;
import io.kwsync.model.Origin;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KWSYNC_PARTITION_* as an operator writes them, through the real configuration machinery. */
class PartitionSettingsTest {

    static Map<String, String> base() {
        Map<String, String> p = new HashMap<>();
        p.put("kwsync.connector.name", "parts");
        p.put("kwsync.source.topics", "orders");
        p.put("kwsync.rows.topic", "kwsync-rows-parts");
        p.put("kwsync.error.topic", "connect-error-parts");
        p.put("kwsync.destination.table", "orders");
        p.put("kwsync.partition.granularity", "day");
        p.put("kwsync.partition.time-zone", "UTC");
        p.put("kwsync.partition.columns", "ds,region");
        p.put("kwsync.partition.patterns", "yyyyMMdd");
        p.put("kwsync.partition.fields", "region=value.region");
        p.put("kwsync.partition.time-field", "value.ts");
        p.put("kwsync.partition.time-format", "epoch-seconds");
        return p;
    }

    static RecordPartitioner partitioner(Map<String, String> p) {
        return RoutingSettingsTest.read(p).record().partitioner().orElseThrow();
    }

    static Map<String, String> place(RecordPartitioner p, String json) {
        return p.partition(new Origin("orders", 0, 0, 0, null, List.of()), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTimeColumnAndAValueColumn() {
        assertEquals(Map.of("ds", "20201117", "region", "eu"), place(partitioner(base()), "{\"ts\":1605596645,\"region\":\"eu\"}"));
    }

    @Test
    void valueColumnsAloneNeedNoGranularity() {
        Map<String, String> p = base();
        p.remove("kwsync.partition.granularity");
        p.remove("kwsync.partition.patterns");
        p.remove("kwsync.partition.time-field");
        p.remove("kwsync.partition.time-format");
        p.put("kwsync.partition.columns", "region");
        p.put("kwsync.partition.default", "region=unknown");
        RecordPartitioner r = partitioner(p);
        assertEquals(Map.of("region", "eu"), place(r, "{\"region\":\"eu\"}"));
        assertEquals(Map.of("region", "unknown"), place(r, "{\"region\":\"e u/x\"}"));
    }

    @Test
    void withoutNewSettingsNothingChanges() {
        Map<String, String> p = new HashMap<>(base());
        p.keySet().removeIf(k -> k.startsWith("kwsync.partition."));
        assertTrue(RoutingSettingsTest.read(p).record().partitioner().isEmpty(), "json-columns: unpartitioned by default");
        p.put("kwsync.record.layout", "key-value");
        assertEquals(Map.of("pt", "01-01-1970 08"), place(RoutingSettingsTest.read(p).record().partitioner().orElseThrow(), "{}"));
    }

    @Test
    void eachProblemNamesItsVariable() {
        expect(with("kwsync.partition.fields", "city=value.city"), "KWSYNC_PARTITION_FIELDS (kwsync.partition.fields) names column city, which is not in KWSYNC_PARTITION_COLUMNS");
        expect(with("kwsync.partition.fields", "region=payload.region"), "KWSYNC_PARTITION_FIELDS (kwsync.partition.fields) for column region: 'payload.region' is not a field");
        expect(with("kwsync.partition.fields", "value.region"), "KWSYNC_PARTITION_FIELDS (kwsync.partition.fields) 'value.region' is not column=field");
        expect(with("kwsync.partition.time-field", "value."), "KWSYNC_PARTITION_TIME_FIELD (kwsync.partition.time-field) 'value.' is not a field: use timestamp, value.PATH");
        expect(with("kwsync.partition.time-format", "HH:mm"), "KWSYNC_PARTITION_TIME_FORMAT (kwsync.partition.time-format) the pattern 'HH:mm' does not give a date");
        expect(with("kwsync.partition.patterns", "yyyyMMdd,HH"), "KWSYNC_PARTITION_PATTERNS (kwsync.partition.patterns) 2 value patterns for 1 partition columns (one pattern per column that takes the time: [ds])");
        expect(with("kwsync.partition.default", "ds=1970/01/01,region=x"), "KWSYNC_PARTITION_DEFAULT (kwsync.partition.default) value '1970/01/01' of column ds is not a valid MaxCompute partition value");
        expect(with("kwsync.partition.default", "region=x,ds=19700101"), "KWSYNC_PARTITION_DEFAULT (kwsync.partition.default) names columns [region, ds]; it must name the partition columns [ds, region], in that order");
        expect(with("kwsync.partition.granularity", "none"), "KWSYNC_PARTITION_GRANULARITY (kwsync.partition.granularity) is none, but partition columns [ds] take the time");
        Map<String, String> onlyValues = with("kwsync.partition.fields", "region=value.region,ds=header.day");
        expect(onlyValues, "KWSYNC_PARTITION_GRANULARITY (kwsync.partition.granularity) applies only when a partition column takes the time");
        expect(onlyValues, "KWSYNC_PARTITION_TIME_FIELD (kwsync.partition.time-field) applies only when a partition column takes the time");
        Map<String, String> noTimeField = base();
        noTimeField.remove("kwsync.partition.time-field");
        expect(noTimeField, "KWSYNC_PARTITION_TIME_FORMAT (kwsync.partition.time-format) applies only with a KWSYNC_PARTITION_TIME_FIELD");
        Map<String, String> job = with("kwsync.ingest.mode", "job");
        expect(job, "KWSYNC_PARTITION_TIME_FIELD (kwsync.partition.time-field) applies to streaming only");
        Map<String, String> jobValues = with("kwsync.ingest.mode", "job");
        jobValues.keySet().removeIf(k -> k.startsWith("kwsync.partition.") && !k.equals("kwsync.partition.fields"));
        jobValues.put("kwsync.partition.columns", "region");
        jobValues.put("kwsync.job.destination-partition", "region=${partition}");
        expect(jobValues, "KWSYNC_PARTITION_FIELDS (kwsync.partition.fields) names column region, which KWSYNC_JOB_DESTINATION_PARTITION already gives the run");
        Map<String, String> routedValues = new java.util.HashMap<>(jobValues);
        routedValues.put("kwsync.job.destination-partition", "ds=${partition}");
        routedValues.put("kwsync.destination.table", "ods_${value.kind|safe}");
        expect(routedValues, "KWSYNC_PARTITION_FIELDS (kwsync.partition.fields) cannot be combined in a window job with a routing template in KWSYNC_DESTINATION_TABLE");
    }

    static Map<String, String> with(String key, String value) {
        Map<String, String> p = base();
        p.put(key, value);
        return p;
    }

    static void expect(Map<String, String> p, String message) {
        String m = RoutingSettingsTest.problem(p);
        assertTrue(m.contains(message), m);
    }
}
