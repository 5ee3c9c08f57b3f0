package io.kwsync.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterTest {

    @Test
    void keepsOriginalHeadersAndAddsOriginStageAndReason() {
        Origin origin = new Origin("in", 3, 17, 1234, null, List.of(new Header("trace", "abc".getBytes(StandardCharsets.UTF_8))));
        DirtyRecordException error = new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is not valid JSON",
                new IllegalStateException("Unexpected character 'x'\n at line 1"));
        List<Header> h = DeadLetter.headers(origin, "conn", error);
        assertEquals("trace", h.get(0).name());
        assertEquals("in", DeadLetter.header(h, DeadLetter.TOPIC));
        assertEquals("3", DeadLetter.header(h, DeadLetter.PARTITION));
        assertEquals("17", DeadLetter.header(h, DeadLetter.OFFSET));
        assertEquals("1234", DeadLetter.header(h, DeadLetter.TIMESTAMP));
        assertEquals("conn", DeadLetter.header(h, DeadLetter.CONNECTOR));
        assertEquals("DECODE", DeadLetter.header(h, DeadLetter.STAGE));
        assertEquals("value is not valid JSON: Unexpected character 'x'", DeadLetter.header(h, DeadLetter.REASON));
        assertEquals(IllegalStateException.class.getName(), DeadLetter.header(h, DeadLetter.EXCEPTION));
    }

    @Test
    void cutsVeryLongReasons() {
        String reason = DeadLetter.truncate("r".repeat(10_000));
        assertTrue(reason.length() <= DeadLetter.MAX_REASON_CHARS + 3);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A record that arrives with kwsync.error.* headers of its own cannot pass them off as ours. */
    @Test
    void originalHeadersOfTheErrorNamespaceAreRenamedSoEachErrorHeaderIsOurs() {
        Origin origin = new Origin("in", 1, 9, 5, null, List.of(new Header("kwsync.error.topic", utf8("spoofed")),
                new Header("kwsync.error.reason", utf8("all fine")), new Header("trace", utf8("t"))));
        List<Header> h = DeadLetter.headers(origin, "conn",
                new DirtyRecordException(DirtyRecordException.Stage.MAP, "no such path"));
        for (String name : List.of(DeadLetter.TOPIC, DeadLetter.PARTITION, DeadLetter.OFFSET, DeadLetter.TIMESTAMP,
                DeadLetter.CONNECTOR, DeadLetter.STAGE, DeadLetter.REASON, DeadLetter.EXCEPTION)) {
            assertEquals(1, h.stream().filter(x -> x.name().equals(name)).count(), name);
        }
        assertEquals("in", firstText(h, DeadLetter.TOPIC), "a reader taking the first header gets ours");
        assertEquals("no such path", firstText(h, DeadLetter.REASON));
        assertEquals("spoofed", firstText(h, "kwsync.original.error.topic"), "the original is kept under another name");
        assertEquals("all fine", firstText(h, "kwsync.original.error.reason"));
        assertEquals("t", firstText(h, "trace"));
    }

    static String firstText(List<Header> headers, String name) {
        return headers.stream().filter(x -> x.name().equals(name)).map(x -> new String(x.value(), StandardCharsets.UTF_8))
                .findFirst().orElse(null);
    }

    @Test
    void aReasonQuotingALoneSurrogateShowsItEscaped() {
        List<Header> h = DeadLetter.headers(new Origin("in", 0, 0, 0, null, List.of()), "c",
                new DirtyRecordException(DirtyRecordException.Stage.DECODE, "duplicate JSON key \"k\ud800\""));
        assertEquals("duplicate JSON key \"k\\uD800\"", DeadLetter.header(h, DeadLetter.REASON));
    }

    @Test
    void aRecordThatFitsIsLeftAlone() {
        List<Header> h = DeadLetter.headers(new Origin("in", 0, 0, 0, null, List.of()), "c",
                new DirtyRecordException(DirtyRecordException.Stage.DECODE, "bad"));
        byte[] value = new byte[1000];
        DeadLetter.Letter l = DeadLetter.fit(utf8("k"), value, h, 10_000);
        assertSame(value, l.value());
        assertEquals(h, l.headers());
    }

    @Test
    void aRecordTooLargeIsCutAndMarkedKeepingItsOriginAndReason() {
        Origin origin = new Origin("in", 2, 41, 0, utf8("key"), List.of(new Header("trace", utf8("t-1"))));
        List<Header> h = DeadLetter.headers(origin, "c", new DirtyRecordException(DirtyRecordException.Stage.MAP, "row too large"));
        byte[] value = new byte[100_000];
        java.util.Arrays.fill(value, (byte) 'v');
        DeadLetter.Letter l = DeadLetter.fit(origin.key(), value, h, 20_000);
        assertTrue(l.size() <= 20_000, "fits: " + l.size());
        assertEquals("key", new String(l.key(), StandardCharsets.UTF_8));
        assertTrue(l.value().length > 15_000, "as much of the value as fits: " + l.value().length);
        assertEquals("in", DeadLetter.header(l.headers(), DeadLetter.TOPIC));
        assertEquals("41", DeadLetter.header(l.headers(), DeadLetter.OFFSET));
        assertEquals("row too large", DeadLetter.header(l.headers(), DeadLetter.REASON));
        assertEquals("t-1", DeadLetter.header(l.headers(), "trace"));
        String mark = DeadLetter.header(l.headers(), DeadLetter.TRUNCATED);
        assertTrue(mark.startsWith("value cut from 100000 to " + l.value().length + " bytes"), mark);

        List<Header> big = new java.util.ArrayList<>(List.of(new Header("huge", new byte[50_000])));
        big.addAll(h);
        DeadLetter.Letter noHeaders = DeadLetter.fit(new byte[30_000], value, big, 20_000);
        assertTrue(noHeaders.size() <= 20_000, "fits: " + noHeaders.size());
        assertNull(DeadLetter.header(noHeaders.headers(), "huge"));
        assertEquals(0, noHeaders.value().length);
        String all = DeadLetter.header(noHeaders.headers(), DeadLetter.TRUNCATED);
        assertTrue(all.contains("2 original headers") && all.contains("key cut from 30000") && all.contains("value cut from 100000 to 0"), all);
        assertEquals("row too large", DeadLetter.header(noHeaders.headers(), DeadLetter.REASON));
    }
}
