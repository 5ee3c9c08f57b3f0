package io.kwsync.sink.consume;

import io.kwsync.model.DeadLetter;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The read-back after an attempt that published refusals and then failed, on the real broker: the refused rows of one
 * source record share its coordinates, and only the rows already on the error topic count as published.
 */
class SeveralRowsReadBackTest {

    @Test
    void aRefusalOfOneRowOfARecordDoesNotCountForItsOtherRows() {
        String topic = TestKafka.unique("errors");
        TestKafka.createTopic(topic, 1);
        Origin origin = new Origin("canal", 0, 10, 0, null, List.of());
        DirtyRecordException reason = new DirtyRecordException(DirtyRecordException.Stage.WRITE, "too long");
        try (ErrorTopic errors = new ErrorTopic(Map.of("bootstrap.servers", TestKafka.bootstrap()), topic, "conn")) {
            String mark = errors.mark();
            // the killed attempt got the first of its two refusals of record 10 out, not the second
            errors.publish(List.of(new DeadLetterRecord(topic, origin, DeadLetter.row(0, 3), "conn", reason, new byte[]{1})));
            String first = ErrorTopic.coordinates("canal", 0, 10L, DeadLetter.row(0, 3));
            String third = ErrorTopic.coordinates("canal", 0, 10L, DeadLetter.row(2, 3));
            assertEquals(Set.of(first), errors.publishedSince(List.of(mark), Set.of(first, third)),
                    "the third row's refusal is still to be published");
        }
    }
}
