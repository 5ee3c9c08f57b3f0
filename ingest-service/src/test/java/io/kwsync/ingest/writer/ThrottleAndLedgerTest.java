package io.kwsync.ingest.writer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The throughput limit on a simulated clock, and the ledger's offset metadata. */
class ThrottleAndLedgerTest {

    /** A clock that only moves when the throttle sleeps (the sends themselves take no time: the worst case). */
    static final class Simulated {
        long now = 1_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        Throttle throttle(long bytesPerSecond) {
            return new Throttle(bytesPerSecond, () -> now, nanos -> {
                sleeps.add(nanos);
                now += nanos;
            });
        }
    }

    @Test
    void theRateStaysAtTheLimitOverTheRunAfterABurstOfATenthOfASecond() {
        Simulated clock = new Simulated();
        long limit = 1_048_576; // 1 MB/s
        Throttle t = clock.throttle(limit);
        long start = clock.now;
        long sent = 0;
        for (int i = 0; i < 10_000; i++) { // 10,000 records of 1000 bytes: 10 MB
            t.sent(1000, () -> { });
            sent += 1000;
            long elapsed = clock.now - start;
            // never ahead of the limit by more than the burst
            assertTrue(sent - limit / 10 <= (double) limit * elapsed / 1e9 + 1000, "ahead of the limit after " + sent + " bytes");
        }
        double seconds = (clock.now - start) / 1e9;
        assertEquals((10_000_000.0 - limit / 10.0) / limit, seconds, 0.01, "the whole run takes as long as the limit asks");
        assertTrue(clock.sleeps.stream().allMatch(n -> n <= 200_000_000L), "waits are sliced");
    }

    @Test
    void aRecordLargerThanASecondsWorthWaitsInSlicesCheckingBetweenThem() {
        Simulated clock = new Simulated();
        Throttle t = clock.throttle(1000);
        int[] checks = {0};
        t.sent(100, () -> checks[0]++); // within the burst
        assertEquals(0, checks[0]);
        t.sent(5000, () -> checks[0]++); // 5 s at 1000 B/s
        assertEquals(25, checks[0], "5 s in slices of 200 ms");
        RuntimeException stop = new RuntimeException("leadership moved");
        assertThrows(RuntimeException.class, () -> t.sent(5000, () -> {
            throw stop;
        }));
    }

    @Test
    void noLimitNeverWaits() {
        Simulated clock = new Simulated();
        Throttle t = clock.throttle(0);
        for (int i = 0; i < 1000; i++) t.sent(1_000_000, () -> { });
        assertTrue(clock.sleeps.isEmpty());
    }

    @Test
    void theLedgerKeepsTheRunTheDigestOfItsWindowAndItsCountsInTheOffsetMetadata() {
        Ledger first = Ledger.next(null, "20221122101500-1-abcdef", "orders <- SELECT * FROM t WHERE ds='20221121'", 99, 1);
        assertEquals(1, first.sequence());
        OffsetAndMetadata o = first.toOffset();
        assertEquals(1, o.offset());
        assertTrue(o.metadata().length() < 4096, "offset metadata is limited to 4096 bytes by default");
        Ledger read = Ledger.fromOffset(o);
        assertEquals(first, read);
        assertTrue(read.wrote("orders <- SELECT * FROM t WHERE ds='20221121'"));
        assertFalse(read.wrote("orders <- SELECT * FROM t WHERE ds='20221122'"));
        assertEquals(2, Ledger.next(read, "r2", "w", 0, 0).sequence());
        assertNull(Ledger.fromOffset(null));
        assertNull(Ledger.fromOffset(new OffsetAndMetadata(5, "")), "an offset committed by something else");
        assertNull(Ledger.fromOffset(new OffsetAndMetadata(5, "not json")));
    }
}
