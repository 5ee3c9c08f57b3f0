package io.kwsync.sink.consume;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import io.kwsync.model.RecordSize;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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

    private static List<Header> headers(ProducerRecord<byte[], byte[]> r) {
        List<Header> out = new ArrayList<>();
        r.headers().forEach(h -> out.add(new Header(h.key(), h.value())));
        return out;
    }

    private static List<String> names(ProducerRecord<byte[], byte[]> r) {
        List<String> out = new ArrayList<>();
        r.headers().forEach(h -> out.add(h.key()));
        return out;
    }

    @Test
    void aRowOfARecordOfSeveralSaysWhichAndKeepsItWhenCut() {
        Origin origin = new Origin("src", 2, 41, 0, null, List.of());
        DeadLetterRecord second = new DeadLetterRecord("errors", origin, DeadLetter.row(1, 3), "conn", REASON, new byte[100_000]);
        assertEquals("2/3", header(second.whole(), DeadLetter.ROW));
        assertEquals("2/3", header(second.fitted(DeadLetterRecord.CUT_BYTES), DeadLetter.ROW), "an error header, never cut");
        assertNull(header(letter(10).whole(), DeadLetter.ROW), "the only row of its record needs none");
        assertNull(DeadLetter.row(0, 1));
        assertEquals(ErrorTopic.coordinates("src", 2, 41L, null), ErrorTopic.coordinates("src", "2", "41", null));
        assertFalse(ErrorTopic.coordinates("src", 2, 41L, "2/3").equals(ErrorTopic.coordinates("src", 2, 41L, "3/3")));
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
        assertNull(header(r, DeadLetter.TRUNCATED));
    }

    @Test
    void aLetterFitsWhenKeyValueAndHeadersStayBelowTheLimit() {
        assertNull(header(letter(1000).fitted(2000), DeadLetter.TRUNCATED), "fits: sent whole");
        assertNotNull(header(letter(2000).fitted(2000), DeadLetter.TRUNCATED), "does not fit: cut");
    }

    @Test
    void aCutLetterKeepsCoordinatesAndReasonAndSaysHowLargeTheValueWas() {
        int size = (int) DeadLetterRecord.CUT_BYTES * 3;
        ProducerRecord<byte[], byte[]> r = letter(size).fitted(DeadLetterRecord.CUT_BYTES);
        assertTrue(RecordSize.of(r.key(), r.value(), headers(r)) <= DeadLetterRecord.CUT_BYTES, "fits the limit");
        assertTrue(r.value().length > DeadLetterRecord.CUT_BYTES - 2048, "as much of the value as fits: " + r.value().length);
        assertArrayEquals("key".getBytes(StandardCharsets.UTF_8), r.key());
        assertTrue(header(r, DeadLetter.TRUNCATED).startsWith("value cut from " + size + " to " + r.value().length + " bytes"),
                header(r, DeadLetter.TRUNCATED));
        assertEquals("src", header(r, DeadLetter.TOPIC));
        assertEquals("2", header(r, DeadLetter.PARTITION));
        assertEquals("41", header(r, DeadLetter.OFFSET));
        assertEquals("too long", header(r, DeadLetter.REASON));

        DeadLetterRecord large = letter(size);
        assertEquals(DeadLetterRecord.CUT_BYTES, large.smaller(64L << 20), "refused at the producer's limit: 64 KiB next");
        long last = large.smaller(DeadLetterRecord.CUT_BYTES);
        ProducerRecord<byte[], byte[]> bare = large.fitted(last);
        assertEquals(0, bare.value().length);
        assertEquals(0, bare.key().length);
        assertTrue(header(bare, DeadLetter.TRUNCATED).contains("value cut from " + size + " to 0 bytes"), header(bare, DeadLetter.TRUNCATED));
        assertFalse(names(bare).contains("trace"), "the source's headers are left out");
        assertEquals("41", header(bare, DeadLetter.OFFSET));
        assertEquals("too long", header(bare, DeadLetter.REASON));
        assertEquals(-1, large.smaller(last), "nothing smaller is left");
        assertEquals(-1, letter(10).smaller(DeadLetterRecord.CUT_BYTES), "no smaller form than a record this small");
    }
}
