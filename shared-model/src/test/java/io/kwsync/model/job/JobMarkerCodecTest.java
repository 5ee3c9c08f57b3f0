package io.kwsync.model.job;

import io.kwsync.model.Destination;
import io.kwsync.model.MalformedRowEventException;
import io.kwsync.model.Origin;
import io.kwsync.model.RowEvent;
import io.kwsync.model.RowEventCodec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobMarkerCodecTest {

    private static Destination partition(String... kv) {
        Map<String, String> spec = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) spec.put(kv[i], kv[i + 1]);
        return new Destination("orders", spec);
    }

    @Test
    void markersRoundTripAndAreToldApartFromRowEvents() {
        JobMarker end = new JobMarker(JobMarker.Kind.END, "r-20221122100500-1-ab12",
                List.of(partition("ds", "2022112210"), partition("ds", "2022112210_late", "kind", "late")), 6, 4, 12_345);
        byte[] bytes = JobMarkerCodec.encode(end);
        assertTrue(JobMarkerCodec.isMarker(bytes));
        assertEquals(end, JobMarkerCodec.decode(bytes));
        assertEquals("orders", end.table());

        JobMarker abort = new JobMarker(JobMarker.Kind.ABORT, "r1", List.of(), 3, 0, 0);
        assertEquals(abort, JobMarkerCodec.decode(JobMarkerCodec.encode(abort)));

        byte[] row = RowEventCodec.encode(new RowEvent(new Origin("t", 0, 1, 2, null, List.of()),
                Destination.table("orders"), Map.of("a", 1L), "r1"));
        assertFalse(JobMarkerCodec.isMarker(row), "a row event is not a marker");
        assertThrows(MalformedRowEventException.class, () -> RowEventCodec.decode(bytes), "a marker is not a row event");
        assertFalse(JobMarkerCodec.isMarker(null));
        assertFalse(JobMarkerCodec.isMarker(new byte[]{(byte) 0xCD}));
    }

    @Test
    void allowEmptyTravelsInVersion2AndMarkersWithoutItStayVersion1() {
        JobMarker plain = new JobMarker(JobMarker.Kind.END, "r1", List.of(partition("ds", "1")), 2, 1, 0);
        byte[] v1 = JobMarkerCodec.encode(plain);
        assertEquals(1, v1[1], "a marker without flags is written as version 1, which sinks of every version read");
        assertFalse(JobMarkerCodec.decode(v1).allowEmpty());

        JobMarker empty = new JobMarker(JobMarker.Kind.END, "r1", List.of(partition("ds", "1")), 2, 1, 0, true);
        byte[] v2 = JobMarkerCodec.encode(empty);
        assertEquals(2, v2[1]);
        assertEquals(empty, JobMarkerCodec.decode(v2));
        assertTrue(JobMarkerCodec.decode(v2).allowEmpty());

        // the bytes a version-1 writer produced (before allowEmpty existed) still decode
        byte[] old = java.util.HexFormat.of().parseHex(
                "cd01000002723100000001000573696e6b73000000010002647300013100000002000000010000000000000005");
        JobMarker decoded = JobMarkerCodec.decode(old);
        assertEquals(new JobMarker(JobMarker.Kind.END, "r1", List.of(new Destination("sinks", Map.of("ds", "1"))), 2, 1, 5), decoded);

        byte[] unknownFlag = v2.clone();
        unknownFlag[unknownFlag.length - 1] = 4;
        assertThrows(MalformedRowEventException.class, () -> JobMarkerCodec.decode(unknownFlag));
        byte[] v2WithoutFlags = java.util.Arrays.copyOf(v2, v2.length - 1);
        assertThrows(MalformedRowEventException.class, () -> JobMarkerCodec.decode(v2WithoutFlags));
    }

    @Test
    void routedTravelsAsFlagBit1AlongsideAllowEmpty() {
        JobMarker routed = new JobMarker(JobMarker.Kind.END, "r1", List.of(new Destination("ods_${topic}", Map.of("ds", "1"))),
                2, 1, 7, false, true);
        byte[] bytes = JobMarkerCodec.encode(routed);
        assertEquals(2, bytes[1], "a flag needs version 2");
        assertEquals(2, bytes[bytes.length - 1]);
        assertEquals(routed, JobMarkerCodec.decode(bytes));
        JobMarker both = new JobMarker(JobMarker.Kind.END, "r1", List.of(partition("ds", "1")), 2, 1, 0, true, true);
        byte[] b = JobMarkerCodec.encode(both);
        assertEquals(3, b[b.length - 1]);
        assertTrue(JobMarkerCodec.decode(b).routed());
        assertTrue(JobMarkerCodec.decode(b).allowEmpty());
        assertFalse(JobMarkerCodec.decode(JobMarkerCodec.encode(new JobMarker(JobMarker.Kind.END, "r1",
                List.of(partition("ds", "1")), 2, 1, 0, true))).routed());
    }

    @Test
    void corruptMarkersAreRefused() {
        byte[] bytes = JobMarkerCodec.encode(new JobMarker(JobMarker.Kind.END, "r1", List.of(partition("ds", "1")), 2, 1, 5));
        for (int cut = 2; cut < bytes.length; cut++) {
            byte[] truncated = Arrays.copyOf(bytes, cut);
            assertThrows(MalformedRowEventException.class, () -> JobMarkerCodec.decode(truncated), "cut at " + cut);
        }
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(MalformedRowEventException.class, () -> JobMarkerCodec.decode(longer));
        byte[] version = bytes.clone();
        version[1] = 9;
        assertThrows(MalformedRowEventException.class, () -> JobMarkerCodec.decode(version));
    }

    @Test
    void invalidMarkersCannotBeBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new JobMarker(JobMarker.Kind.END, "r", List.of(), 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new JobMarker(JobMarker.Kind.END, "r", List.of(partition()), 2, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new JobMarker(JobMarker.Kind.END, "r", List.of(partition()), 2, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> new JobMarker(JobMarker.Kind.END, "r",
                List.of(partition(), new Destination("other", Map.of())), 2, 0, 0));
    }

    @Test
    void loadResultsAreJsonOnTheStatusTopic() {
        LoadResult r = new LoadResult("r1", LoadResult.State.COMMITTED, "orders",
                new LinkedHashMap<>(Map.of("ds=20221122", 10L)), 2, null, 1_700_000_000_000L);
        byte[] json = JobStatusTopic.toJson(r);
        assertTrue(new String(json).contains("\"state\":\"COMMITTED\""), new String(json));
        assertEquals(r, JobStatusTopic.fromJson(json, LoadResult.class));
        assertEquals(10, r.writtenTotal());
        assertEquals("connect-status-c1", JobStatusTopic.defaultName("c1"));
        assertEquals("load/r1", JobStatusTopic.loadKey("r1"));
    }
}
