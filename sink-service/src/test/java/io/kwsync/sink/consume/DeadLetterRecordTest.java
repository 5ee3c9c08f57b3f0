package io.kwsync.sink.consume;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dead letter whole, and cut when it does not fit: coordinates, reason and size kept, the cut marked. */
class DeadLetterRecordTest {

    private static final DirtyRecordException REASON = new DirtyRecordException(DirtyRecordException.Stage.WRITE, "too long");

    private static DeadLetterRecord letter(int valueBytes) {
        Origin origin = new Origin("src", 2, 41, 1_700_000_000_000L, "key".getBytes(StandardCharsets.UTF_8),
                List.of(new Header("trace", "t-1".getBytes(StandardCharsets.UTF_8))));
        return new DeadLetterRecord("errors", origin, "conn", REASON, new byte[valueBytes]);
    }

    private static String header(ProducerRecord<byte[], byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> names(ProducerRecord<byte[], byte[]> r) {
        List<String> out = new ArrayList<>();
        r.headers().forEach(h -> out.add(h.key()));
        return out;
    }

    @Test
    void wholeKeepsTheSourceKeyHeadersAndValue() {
        ProducerRecord<byte[], byte[]> r = letter(100).whole();
        assertEquals("errors", r.topic());
        assertArrayEquals("key".getBytes(StandardCharsets.UTF_8), r.key());
        assertEquals(100, r.value().length);
        assertEquals("t-1", header(r, "trace"));
        assertEquals("src", header(r, DeadLetter.TOPIC));
        assertEquals("41", header(r, DeadLetter.OFFSET));
        assertNull(header(r, DeadLetterRecord.TRUNCATED));
    }

    @Test
    void aLetterFitsWhenKeyValueAndHeadersStayBelowTheLimit() {
        assertTrue(letter(1000).fits(2000));
        assertFalse(letter(2000).fits(2000));
    }

    @Test
    void aCutLetterKeepsCoordinatesAndReasonAndSaysHowLargeTheValueWas() {
        ProducerRecord<byte[], byte[]> r = letter(DeadLetterRecord.CUT_BYTES * 3).cut(DeadLetterRecord.CUT_BYTES);
        assertEquals(DeadLetterRecord.CUT_BYTES, r.value().length);
        assertArrayEquals("key".getBytes(StandardCharsets.UTF_8), r.key());
        assertEquals(Integer.toString(DeadLetterRecord.CUT_BYTES * 3), header(r, DeadLetterRecord.TRUNCATED));
        assertEquals("src", header(r, DeadLetter.TOPIC));
        assertEquals("2", header(r, DeadLetter.PARTITION));
        assertEquals("41", header(r, DeadLetter.OFFSET));
        assertEquals("too long", header(r, DeadLetter.REASON));
        assertFalse(names(r).contains("trace"), "the source's headers are left out");

        ProducerRecord<byte[], byte[]> bare = letter(10).cut(0);
        assertNull(bare.value());
        assertNull(bare.key());
        assertEquals("10", header(bare, DeadLetterRecord.TRUNCATED));
        assertEquals("41", header(bare, DeadLetter.OFFSET));
    }
}
