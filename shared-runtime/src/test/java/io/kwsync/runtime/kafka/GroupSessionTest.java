package io.kwsync.runtime.kafka;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GroupSessionTest {

    @ParameterizedTest(name = "{0}: session {1} ms, heartbeat {2} ms, problem: {3}")
    @CsvSource({
            "PT5S, 5000, 1666, true",
            "PT6S, 6000, 2000, false",
            "PT45S, 45000, 3000, false",
            "PT30M, 1800000, 3000, false",
            "PT31M, 1860000, 3000, true",
    })
    void sessionAndHeartbeat(Duration timeout, int session, int heartbeat, boolean refused) {
        Map<String, Object> m = GroupSession.apply(Map.of("bootstrap.servers", "b:9092"), timeout);
        assertEquals(session, m.get("session.timeout.ms"));
        assertEquals(heartbeat, m.get("heartbeat.interval.ms"));
        assertEquals("b:9092", m.get("bootstrap.servers"));
        assertEquals(refused, GroupSession.problem(timeout) != null);
    }
}
