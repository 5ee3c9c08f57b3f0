package io.kwsync.ingest.pipeline;

import io.kwsync.runtime.config.ServiceConfig.FailurePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirtyRecordPolicyTest {

    /**
     * For the 1st, 2nd, ... new dirty record: does it stop the connector (S) or go to the error topic (-)? "recorded"
     * dirty records were already on the error topic when the replica started.
     */
    @ParameterizedTest(name = "{0} limit {1}, {2} recorded: {3}")
    @CsvSource({
            "CONTINUE, -1, 0, ------",
            "CONTINUE, -1, 5, ------",
            "CONTINUE, 0, 0, SSSSSS",
            "CONTINUE, 1, 0, -SSSSS",
            "CONTINUE, 3, 0, ---SSS",
            "CONTINUE, 3, 2, -SSSSS",
            "CONTINUE, 3, 3, SSSSSS",
            "STOP, -1, 0, SSSSSS",
    })
    void decidesPerDirtyRecord(FailurePolicy policy, long limit, int recorded, String expected) {
        Set<String> before = new java.util.HashSet<>();
        for (int i = 0; i < recorded; i++) before.add("src-0@" + i);
        DirtyRecordPolicy p = new DirtyRecordPolicy(policy, limit, before);
        StringBuilder actual = new StringBuilder();
        for (int i = 0; i < expected.length(); i++) actual.append(p.stops("src-1@" + i) ? 'S' : '-');
        assertEquals(expected, actual.toString());
        assertEquals(expected.length(), p.dirtyRecords());
    }

    @Test
    void aRecordReadAgainIsCountedOnce() {
        DirtyRecordPolicy p = new DirtyRecordPolicy(FailurePolicy.CONTINUE, 2, Set.of("src-0@7"));
        assertFalse(p.stops("src-0@7"), "already on the error topic: sent again, not counted again");
        assertFalse(p.stops("src-0@8"));
        assertFalse(p.stops("src-0@8"), "redelivered after a rebalance");
        assertTrue(p.stops("src-0@9"));
        assertEquals(2, p.counted());
    }

    @Test
    void theErrorTopicIsReadOnlyWhenALimitCanBeReached() {
        assertTrue(DirtyRecordPolicy.needsHistory(FailurePolicy.CONTINUE, 3));
        assertFalse(DirtyRecordPolicy.needsHistory(FailurePolicy.CONTINUE, 0));
        assertFalse(DirtyRecordPolicy.needsHistory(FailurePolicy.CONTINUE, -1));
        assertFalse(DirtyRecordPolicy.needsHistory(FailurePolicy.STOP, 3));
    }
}
