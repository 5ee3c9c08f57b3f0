package io.kwsync.testing;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The end of a run deletes the topics named after its ids, and only those. */
class TestTopicsCleanupTest {

    @Test
    void topicsNamedAfterThisRunsIdsAreDeletedOthersStay() throws Exception {
        String source = TestKafka.unique("cleanup-source");
        String derived = "connect-error-" + source;
        String foreign = "cleanup-foreign-" + UUID.randomUUID();
        for (String t : List.of(source, derived, foreign)) TestKafka.createTopic(t, 1);
        try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            assertTrue(names(admin).containsAll(List.of(source, derived, foreign)));

            new TestTopicsCleanup().launcherSessionClosed(null);

            Set<String> left = names(admin);
            assertFalse(left.contains(source), "the test's own topic is deleted");
            assertFalse(left.contains(derived), "and the topics derived from its name");
            assertTrue(left.contains(foreign), "a topic of another run stays");
            admin.deleteTopics(List.of(foreign)).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Set<String> names(AdminClient admin) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
}
