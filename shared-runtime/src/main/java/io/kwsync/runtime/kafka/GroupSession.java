package io.kwsync.runtime.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The consumer-group session timeout of a service's consumers (KWSYNC_KAFKA_SESSION_TIMEOUT): how soon the group
 * notices a replica that died without leaving, and so how soon a restarted replica gets its partitions back.
 */
public final class GroupSession {

    /** The broker's default group.min.session.timeout.ms and group.max.session.timeout.ms. */
    public static final Duration MIN = Duration.ofSeconds(6);
    public static final Duration MAX = Duration.ofMinutes(30);

    private GroupSession() {
    }

    /**
     * The client settings with session.timeout.ms and heartbeat.interval.ms added: a third of the timeout, at most
     * Kafka's default 3s, so it stays below any session timeout the broker accepts, also one a channel sets itself.
     */
    public static Map<String, Object> apply(Map<String, Object> settings, Duration timeout) {
        Map<String, Object> m = new HashMap<>(settings);
        m.put("session.timeout.ms", (int) timeout.toMillis());
        m.put("heartbeat.interval.ms", (int) Math.min(3000, timeout.toMillis() / 3));
        return m;
    }

    /** Why the timeout is refused, or null when the broker's default bounds accept it. */
    public static String problem(Duration timeout) {
        if (timeout.compareTo(MIN) < 0 || timeout.compareTo(MAX) > 0) {
            return "must be between 6s and 30m (the broker's default group.min/max.session.timeout.ms)";
        }
        return null;
    }
}
