package io.kwsync.ingest.convert;

import io.kwsync.ingest.convert.KeyValueMapper.Format;
import io.kwsync.ingest.convert.KeyValueMapper.Mode;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.ingest.partition.RecordPartitioner;
import io.kwsync.ingest.partition.TimePartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyValueMapperTest {

    static final long TS = Instant.parse("2020-11-17T06:30:00Z").toEpochMilli();

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static Origin origin(String key, long ts) {
        return new Origin("orders", 2, 41, ts, utf8(key), List.of());
    }

    static KeyValueMapper mapper(Mode mode, Format format) {
        return new KeyValueMapper(RowDestination.partitioned("test_kafka", RecordPartitioner.byTimestamp(TimePartitioner.of(TimePartitioner.Granularity.HOUR,
                TimePartitioner.DEFAULT_ZONE))), mode, format);
    }

    @ParameterizedTest(name = "{0} {1} key={2} value={3}")
    @CsvSource(delimiter = ';', nullValues = "NULL", value = {
            // mode; format; key; value; expected columns after topic, partition, offset (name=value|...)
            "DEFAULT; TEXT; k1; v1; key=k1|value=v1",
            "DEFAULT; TEXT; NULL; v1; key=NULL|value=v1",
            "DEFAULT; TEXT; k1; NULL; key=k1|value=NULL",
            "KEY; TEXT; k1; v1; key=k1",
            "VALUE; TEXT; k1; v1; value=v1",
            "VALUE; TEXT; k1; 'a,b'; value=a,b",
            "VALUE; CSV; k1; 'a,b,,c'; #0=a|#1=b|#2=|#3=c",
            "VALUE; CSV; k1; ''; #0=",
            "VALUE; CSV; k1; NULL; ",
            "KEY; CSV; 'x,1'; 'ignored'; #0=x|#1=1",
            "VALUE; TEXT; k1; '{\"é\":\"漢字\"}'; value={\"é\":\"漢字\"}",
    })
    void textModesKeepWhatTheModeSays(Mode mode, Format format, String key, String value, String expected) {
        RowEvent row = mapper(mode, format).map(origin(key, TS), utf8(value));
        Map<String, Object> want = new LinkedHashMap<>();
        want.put("topic", "orders");
        want.put("partition", 2L);
        want.put("offset", 41L);
        if (expected != null) {
            for (String kv : expected.split("\\|")) {
                String v = kv.substring(kv.indexOf('=') + 1);
                want.put(kv.substring(0, kv.indexOf('=')), v.equals("NULL") ? null : v);
            }
        }
        assertEquals(want, row.columns());
        assertEquals(List.copyOf(want.keySet()), List.copyOf(row.columns().keySet()), "column order");
        assertEquals("test_kafka/pt=11-17-2020 14", row.destination().toString());
    }

    @Test
    void binaryKeepsTheBytesEvenWhenTheyAreNotText() {
        byte[] key = {(byte) 0xff, 0, 1};
        byte[] value = {(byte) 0xc3, 0x28};
        RowEvent row = new KeyValueMapper(RowDestination.fixed("t"), Mode.DEFAULT, Format.BINARY)
                .map(new Origin("orders", 0, 1, TS, key, List.of()), value);
        assertArrayEquals(key, (byte[]) row.columns().get("key"));
        assertArrayEquals(value, (byte[]) row.columns().get("value"));
        assertEquals(Map.of(), row.destination().partition());
    }

    @Test
    void textThatIsNotUtf8IsDirtyNotGarbled() {
        DirtyRecordException e = assertThrows(DirtyRecordException.class,
                () -> mapper(Mode.DEFAULT, Format.TEXT).map(origin("k", TS), new byte[]{(byte) 0xc3, 0x28}));
        assertEquals(DirtyRecordException.Stage.DECODE, e.stage());
        assertTrue(e.getMessage().contains("value is not UTF-8"), e.getMessage());
    }

    @Test
    void aRecordWithoutTimestampCannotBePartitioned() {
        DirtyRecordException e = assertThrows(DirtyRecordException.class,
                () -> mapper(Mode.DEFAULT, Format.TEXT).map(origin("k", -1), utf8("v")));
        assertEquals(DirtyRecordException.Stage.MAP, e.stage());
    }

    @Test
    void recordsOfOneHourShareTheDestinationAndTheNextHourGetsItsOwn() {
        KeyValueMapper m = mapper(Mode.VALUE, Format.TEXT);
        RowEvent a = m.map(origin("k", TS), utf8("a"));
        RowEvent b = m.map(origin("k", TS + 1000), utf8("b"));
        RowEvent c = m.map(origin("k", TS + 3_600_000), utf8("c"));
        assertSame(a.destination(), b.destination());
        assertEquals(Map.of("pt", "11-17-2020 15"), c.destination().partition());
    }

    @Test
    void csvWithManyFieldsNamesEveryPosition() {
        String[] fields = new String[100];
        Arrays.setAll(fields, i -> "f" + i);
        RowEvent row = mapper(Mode.VALUE, Format.CSV).map(origin("k", TS), utf8(String.join(",", fields)));
        assertEquals("f99", row.columns().get("#99"));
        assertEquals(103, row.columns().size());
    }

    @Test
    void csvIsRefusedWithTheDefaultMode() {
        assertThrows(IllegalArgumentException.class, () -> mapper(Mode.DEFAULT, Format.CSV));
    }
}
