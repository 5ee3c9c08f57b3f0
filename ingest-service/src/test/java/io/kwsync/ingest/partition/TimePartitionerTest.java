package io.kwsync.ingest.partition;

import io.kwsync.ingest.partition.TimePartitioner.Granularity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimePartitionerTest {

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static List<String> list(String csv) {
        return csv == null || csv.isEmpty() ? List.of() : Arrays.asList(csv.split("\\|"));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource(delimiter = ';', value = {
            // granularity; zone; record time (UTC); columns; patterns; expected spec
            "HOUR; GMT+08:00; 2020-11-17T06:59:59.999Z; pt; ; pt=11-17-2020 14",
            "HOUR; GMT+08:00; 2020-11-17T07:00:00Z; pt; ; pt=11-17-2020 15",
            "HOUR; UTC; 2020-11-17T07:00:00Z; pt; ; pt=11-17-2020 07",
            "DAY; GMT+08:00; 2020-11-17T15:59:59Z; pt; ; pt=11-17-2020",
            "DAY; GMT+08:00; 2020-11-17T16:00:00Z; pt; ; pt=11-18-2020",
            "DAY; America/New_York; 2020-11-18T04:59:59Z; pt; ; pt=11-17-2020",
            "MINUTE; GMT+08:00; 2022-11-22T01:52:59Z; pt; ; pt=11-22-2022 09:52",
            "MINUTE; Asia/Kolkata; 2022-11-22T01:52:00Z; pt; ; pt=11-22-2022 07:22",
            "HOUR; Asia/Kolkata; 2022-11-22T01:29:00Z; pt; ; pt=11-22-2022 06",
            "HOUR; GMT+08:00; 2022-11-22T02:05:00Z; ds|hh; yyyyMMdd|HH; ds=20221122,hh=10",
            "HOUR; GMT+08:00; 2022-11-22T02:05:00Z; ds; yyyyMMddHH; ds=2022112210",
            "DAY; UTC; 2024-02-29T23:59:59Z; dt; yyyy-MM-dd; dt=2024-02-29",
            "HOUR; GMT+08:00; 1970-01-01T00:00:00Z; pt; ; pt=01-01-1970 08",
            // Europe/Berlin leaves summer time at 03:00 local on 2020-10-25: local 02:xx happens twice, one partition
            "HOUR; Europe/Berlin; 2020-10-25T00:30:00Z; pt; yyyyMMddHH; pt=2020102502",
            "HOUR; Europe/Berlin; 2020-10-25T01:30:00Z; pt; yyyyMMddHH; pt=2020102502",
            "HOUR; Europe/Berlin; 2020-10-25T02:30:00Z; pt; yyyyMMddHH; pt=2020102503",
    })
    void partitionFollowsTheRecordTimeInTheConfiguredZone(String granularity, String zone, String time, String columns,
                                                          String patterns, String expected) {
        TimePartitioner p = new TimePartitioner(Granularity.valueOf(granularity), ZoneId.of(zone), list(columns), list(patterns));
        Map<String, String> want = new LinkedHashMap<>();
        for (String kv : expected.split(",")) want.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        assertEquals(want, p.partition(at(time)));
        assertEquals(List.copyOf(want.keySet()), List.copyOf(p.partition(at(time)).keySet()), "column order kept");
    }

    @Test
    void recordsOfOnePeriodShareOneSpecInstanceAndTheNextPeriodGetsANewOne() {
        TimePartitioner p = TimePartitioner.of(Granularity.HOUR, "GMT+08:00");
        Map<String, String> a = p.partition(at("2020-11-17T06:00:00Z"));
        assertSame(a, p.partition(at("2020-11-17T06:59:59.999Z")));
        Map<String, String> b = p.partition(at("2020-11-17T07:00:00Z"));
        assertEquals("11-17-2020 15", b.get("pt"));
        assertEquals("11-17-2020 14", p.partition(at("2020-11-17T06:30:00Z")).get("pt"), "late records go back");
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @CsvSource(delimiter = ';', value = {
            "HOUR; Mars/Olympus; pt; ; is not a time zone",
            "HOUR; UTC; ds|hh; ; give one value pattern per column",
            "HOUR; UTC; ds|hh; yyyyMMddHH; 1 value patterns for 2 partition columns",
            "HOUR; UTC; 1pt; ; is not a valid column name",
            "HOUR; UTC; pt|pt; yyyyMMdd|HH; partition columns repeat",
            "HOUR; UTC; pt; yyyyMMdd; coarser than HOUR",
            "DAY; UTC; pt; yyyyMMddHH; finer than DAY",
            "MINUTE; UTC; pt; yyyyMMddHH; coarser than MINUTE",
            "HOUR; UTC; pt; yyyyMMdd'T'HH:mm; finer than HOUR",
            "HOUR; UTC; pt; yyyy/MM/dd HH; not a valid MaxCompute partition value",
            "HOUR; UTC; pt; ppp; is invalid",
    })
    void badSettingsAreExplained(String granularity, String zone, String columns, String patterns, String message) {
        List<String> problems = TimePartitioner.problems(Granularity.valueOf(granularity), zone, list(columns), list(patterns));
        assertTrue(problems.stream().anyMatch(s -> s.contains(message)), problems.toString());
        if (!zone.startsWith("Mars")) {
            assertThrows(IllegalArgumentException.class, () -> new TimePartitioner(Granularity.valueOf(granularity),
                    ZoneId.of(zone), list(columns), list(patterns)));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"DAY; pt; ", "HOUR; pt; ", "MINUTE; pt; ", "HOUR; ds|hh; yyyyMMdd|HH",
            "DAY; y|m|d; yyyy|MM|dd", "HOUR; pt; yyyyMMddHH", "MINUTE; pt; yyyyMMddHHmm"})
    void usualSettingsAreAccepted(String granularity, String columns, String patterns) {
        assertEquals(List.of(), TimePartitioner.problems(Granularity.valueOf(granularity), "GMT+08:00", list(columns), list(patterns)));
    }
}
