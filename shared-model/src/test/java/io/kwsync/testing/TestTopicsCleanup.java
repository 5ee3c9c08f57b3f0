package io.kwsync.testing;

import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Deletes, when a test run (a JUnit launcher session, i.e. one test JVM) ends, every topic of the local broker whose
 * name contains an id that {@link TestKafka#unique} handed out in this JVM: the tests' source topics and the rows,
 * error, progress and status topics the services derived from those names. Topics of other runs, even concurrent ones
 * on the same broker, never contain this JVM's ids and are left alone. Registered through
 * {@code META-INF/services/org.junit.platform.launcher.LauncherSessionListener} of the test-jar.
 *
 * <p>The ids are kept in a system property because {@code @QuarkusTest}s load {@link TestKafka} in Quarkus' own class
 * loader, where a static field would be a different one; their prefix is not {@code kwsync.}, which Quarkus would check
 * against the services' configuration. Set {@code -Dkwsync-tests.keep-topics=true} to keep the
 * topics for a post-mortem.
 */
public final class TestTopicsCleanup implements LauncherSessionListener {

    static final String IDS = "kwsync-tests.topic-ids";

    static void remember(String id) {
        synchronized (System.getProperties()) {
            String known = System.getProperty(IDS, "");
            System.setProperty(IDS, known.isEmpty() ? id : known + "," + id);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        String ids = System.getProperty(IDS, "");
        if (ids.isEmpty() || Boolean.getBoolean("kwsync-tests.keep-topics")) return;
        Set<String> wanted = Set.copyOf(Arrays.asList(ids.split(",")));
        Map<String, Object> settings = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        try (AdminClient admin = AdminClient.create(settings)) {
            List<String> ours = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
                    .filter(t -> wanted.stream().anyMatch(t::contains)).toList();
            if (!ours.isEmpty()) admin.deleteTopics(ours).all().get(60, TimeUnit.SECONDS);
        } catch (Exception | LinkageError e) {
            // A broker that is gone by now keeps the topics; that must not fail the run whose tests already passed.
            System.err.println("kwsync tests: could not delete this run's topics: " + e);
        }
    }
}
