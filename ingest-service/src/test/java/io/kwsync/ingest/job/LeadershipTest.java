package io.kwsync.ingest.job;

import io.kwsync.ingest.kafka.KafkaClients;
import io.kwsync.testing.TestKafka;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Leadership against a real broker: the first replica leads, and another replica joining the group, or leaving it,
 * neither takes the lead from it nor starts a new term (a new term stops the job run in progress).
 */
class LeadershipTest {

    private final String topic = TestKafka.unique("leadership");
    private final KafkaClients clients = new KafkaClients(Map.of("bootstrap.servers", TestKafka.bootstrap()));

    @BeforeEach
    void statusTopic() {
        TestKafka.createTopic(topic, 1);
    }

    /** A replica of the job named after the topic, whose membership lapses 6 s after its last heartbeat. */
    private Leadership replica() {
        return new Leadership(clients, topic, topic, Duration.ofSeconds(6));
    }

    @Test
    void theLeaderKeepsItsTermWhileOtherReplicasJoinAndLeave() {
        try (Leadership first = replica()) {
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(first::isLeader);
            long term = first.term();
            try (Leadership second = replica()) {
                second.start();
                // the second replica is in the group once a rebalance gave it its (empty) share
                await().atMost(Duration.ofSeconds(60)).until(() -> second.alive() && joined(second));
                assertTrue(first.isLeader());
                assertEquals(term, first.term(), "a replica joining starts no new term");
                assertFalse(second.isLeader());
            }
            Leadership third = replica();
            third.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> joined(third));
            third.close();
            assertTrue(first.isLeader());
            assertEquals(term, first.term(), "replicas leaving start no new term");
        }
    }

    @Test
    void whenTheLeaderLeavesAnotherReplicaLeadsInANewTerm() {
        try (Leadership second = replica()) {
            Leadership first = replica();
            first.start();
            await().atMost(Duration.ofSeconds(60)).until(first::isLeader);
            second.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> joined(second));
            assertFalse(second.isLeader());
            first.close();
            await().atMost(Duration.ofSeconds(60)).until(second::isLeader);
            assertEquals(1, second.term());
        }
    }

    private static boolean joined(Leadership l) {
        return l.rebalances() > 0;
    }
}
