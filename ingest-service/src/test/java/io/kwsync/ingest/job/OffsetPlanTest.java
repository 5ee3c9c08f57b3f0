package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobConfig;
import io.kwsync.ingest.config.JobDefinition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class OffsetPlanTest {

    private static Long n(String s) {
        return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
    }

    /**
     * Broker state: log 10..100, committed, offset of the first record at/after begin and end time.
     * begin/end: "time" or an offset setting; start: window or previous_run; completion: end_offset or idle.
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            time window                          | time           | time      | WINDOW       | END_OFFSET |     | 40 | 70 |         | 40 | 70
            begin time has no record yet         | time           | time      | WINDOW       | END_OFFSET |     |    |    |         | 100| 100
            end time not reached by any record   | time           | time      | WINDOW       | END_OFFSET |     | 40 |    |         | 40 | 100
            idle: end unknown                    | time           | time      | WINDOW       | IDLE       |     | 40 |    |         | 40 |
            idle: end known                      | time           | time      | WINDOW       | IDLE       |     | 40 | 70 |         | 40 | 70
            offsets                              | 20             | 50        | WINDOW       | END_OFFSET |     |    |    |         | 20 | 50
            offset below the log start           | 0              | 50        | WINDOW       | END_OFFSET |     |    |    |         | 10 | 50
            offset past the log end              | 500            | 600       | WINDOW       | END_OFFSET |     |    |    |         | 100| 600
            end before begin reads nothing       | 60             | 50        | WINDOW       | END_OFFSET |     |    |    |         | 60 | 60
            seekToBeginning to seekToEnd         | seekToBeginning| seekToEnd | WINDOW       | END_OFFSET |     |    |    |         | 10 | 100
            seekToLast with a committed offset   | seekToLast     | seekToEnd | WINDOW       | END_OFFSET | 33  |    |    |         | 33 | 100
            seekToLast without one               | seekToLast     | seekToEnd | WINDOW       | END_OFFSET |     |    |    |         | 10 | 100
            seekToEnd reads nothing              | seekToEnd      | seekToEnd | WINDOW       | END_OFFSET |     |    |    |         | 100| 100
            window mode ignores committed        | time           | time      | WINDOW       | END_OFFSET | 35  | 40 | 70 |         | 40 | 70
            previous run: continue from it       | time           | time      | PREVIOUS_RUN | END_OFFSET | 35  | 40 | 70 |         | 35 | 70
            previous run: none yet, window begin | time           | time      | PREVIOUS_RUN | END_OFFSET |     | 40 | 70 |         | 40 | 70
            previous run: ahead of the window    | time           | time      | PREVIOUS_RUN | END_OFFSET | 80  | 40 | 70 |         | 80 | 80
            previous run: rerun of a window      | time           | time      | PREVIOUS_RUN | END_OFFSET | 90  | 40 | 70 | 30-60   | 30 | 60
            """)
    void rules(String description, String begin, String end, JobConfig.Start start, JobConfig.Completion completion,
               String committed, String beginByTime, String endByTime, String previous, String expectedStart, String expectedEnd) {
        boolean beginTime = begin.equals("time");
        boolean endTime = end.equals("time");
        OffsetPlan.Bounds bounds = new OffsetPlan.Bounds(beginTime, beginTime ? null : JobDefinition.parseOffset(begin, true),
                endTime, endTime ? null : JobDefinition.parseOffset(end, false));
        OffsetPlan.Range prev = previous == null ? null
                : new OffsetPlan.Range(Long.parseLong(previous.split("-")[0]), Long.parseLong(previous.split("-")[1]));
        OffsetPlan.Range r = OffsetPlan.plan(bounds, start, completion,
                new OffsetPlan.Broker(10, 100, n(committed), n(beginByTime), n(endByTime)), prev);
        assertEquals(new OffsetPlan.Range(n(expectedStart), n(expectedEnd)), r, description);
    }
}
