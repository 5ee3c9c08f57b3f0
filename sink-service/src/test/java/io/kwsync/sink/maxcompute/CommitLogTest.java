package io.kwsync.sink.maxcompute;

import io.kwsync.sink.maxcompute.CommitLog.Pending;
import io.kwsync.sink.maxcompute.CommitLog.Progress;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The commit log against the real broker: what the sink itself recorded is never undone by reading the topic back.
 * The sink records a batch's sessions as pending (waiting for the broker), commits them, records the new progress
 * without waiting, and reads the topic at the start of the next batch. Read back before the broker had the second
 * record, the first one replaced the newer progress, and the next batch's rows looked as if a row before them were
 * missing and were skipped (a benchmark run with 2,000-row batches stalled on it).
 */
class CommitLogTest {

    @Test
    void readingTheTopicBackNeverRegressesWhatThisWriterRecorded() {
        String topic = TestKafka.unique("commit-log");
        try (CommitLog log = new CommitLog(Map.of("bootstrap.servers", TestKafka.bootstrap()), topic, true)) {
            String source = CommitLog.sourceKey("src", 0);
            long through = -1;
            // each round is one batch: the race it guards against is lost in most rounds, so there are many
            for (int batch = 0; batch < 60; batch++) {
                log.catchUp();
                assertEquals(new Progress(through, List.of()), log.progress(source), "progress read back before batch " + batch);
                long max = through + 100;
                Pending session = new Pending("t", "pt=1", null, "s" + batch, through + 1, max, false, false, Pending.COMMITTING, 1);
                log.record(Map.of(source, new Progress(through, List.of(session))), Set.of(), true);
                log.record(Map.of(source, new Progress(max, List.of())), Set.of(), false);
                through = max;
            }
        }
    }
}
