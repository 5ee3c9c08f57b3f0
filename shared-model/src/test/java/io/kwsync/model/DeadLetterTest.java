package io.kwsync.model;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
