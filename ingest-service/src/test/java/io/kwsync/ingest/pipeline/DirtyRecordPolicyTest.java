package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.IngestConfig.FailurePolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DirtyRecordPolicyTest {

    /** For the 1st, 2nd, ... dirty record: does it stop the connector (S) or go to the error topic (-)? */
    @ParameterizedTest(name = "{0} limit {1}: {2}")
    @CsvSource({
            "CONTINUE, -1, ------",
            "CONTINUE, 0, SSSSSS",
            "CONTINUE, 1, -SSSSS",
            "CONTINUE, 3, ---SSS",
            "STOP, -1, SSSSSS",
    })
    void decidesPerDirtyRecord(FailurePolicy policy, long limit, String expected) {
        DirtyRecordPolicy p = new DirtyRecordPolicy(policy, limit);
        StringBuilder actual = new StringBuilder();
        for (int i = 0; i < expected.length(); i++) actual.append(p.stops() ? 'S' : '-');
        assertEquals(expected, actual.toString());
        assertEquals(expected.length(), p.dirtyRecords());
    }
}
