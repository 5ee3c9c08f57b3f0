package io.kwsync.system;

import io.kwsync.testing.TestDatabases;
import io.kwsync.testing.TestKafka;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.awaitility.Awaitility.await;

/**
 * Class-data sharing archives of the two services, so that the hundred-odd service JVMs of a test run map the classes
 * the services load on their way to readiness instead of loading and verifying them again: about a quarter less CPU
 * per start on our two cores, where start-up CPU is what the suite waits on. When the tests begin, each service is
 * started once in the background with a throwaway configuration, waited for (ready or not, at most 60 s) and stopped
 * with SIGTERM; its JVM writes the archive as it exits (JDK dynamic archive). Every start after that maps the archive;
 * the starts before it, and every start when training failed, in a run of fewer than {@link #MIN_CLASSES} test
 * classes or with {@code -Dkwsync.it.service-cds=false}, load the classes as before. Nothing waits for the training.
 * What a test proves does not change: the archive holds class data only, and a JVM that cannot use it loads the
 * classes itself.
 * Registered through META-INF/services as a JUnit Platform listener.
 */
public final class ServiceArchives implements TestExecutionListener {

    static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("kwsync.it.service-cds", "true"));
    /**
     * Test classes a run needs before it trains: the training costs two starts' CPU while the first tests start their
     * own services, which a run of one or two classes does not win back.
     */
    static final int MIN_CLASSES = Integer.getInteger("kwsync.it.service-cds-min-classes", 8);
    static final List<String> MODULES = List.of("ingest-service", "sink-service");
    /** Archives ready to map, by module. */
    private static final Map<String, Path> READY = new ConcurrentHashMap<>();
    private static final AtomicBoolean TRAINING = new AtomicBoolean();
    /** The training services, killed when the tests end first (a short run must not leave them running). */
    private static final List<ServiceProcess> TRAINEES = new CopyOnWriteArrayList<>();

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        long classes = testPlan.countTestIdentifiers(id -> id.getSource().filter(ClassSource.class::isInstance).isPresent());
        if (!ENABLED || classes < MIN_CLASSES || !TRAINING.compareAndSet(false, true)) return;
        Thread training = new Thread(ServiceArchives::trainAll, "service-archives");
        training.setDaemon(true);
        training.start();
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        TRAINEES.forEach(ServiceProcess::close);
    }

    /**
     * JVM options that map the module's archive, or none. CDS messages are off: a JVM that cannot use the archive
     * says so on its output, which the tests read.
     */
    static List<String> options(String module) {
        Path archive = READY.get(module);
        return archive == null ? List.of() : List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /** Starts both services side by side to write their archives; a failure leaves that service without one. */
    static void trainAll() {
        Path dir = ServiceProcess.REPO.resolve("system-tests/target/cds");
        try {
            Files.createDirectories(dir);
            for (String module : MODULES) Files.deleteIfExists(dir.resolve(module + ".jsa"));
        } catch (IOException e) {
            System.out.println("ServiceArchives: no archives (" + e + ")");
            return;
        }
        long started = System.nanoTime();
        String connector = TestKafka.unique("cds-training");
        List<ServiceProcess> services;
        try {
            TestKafka.createTopic(connector + "-src", 1);
            ServiceProcess ingest = new ServiceProcess("ingest-service", connector + "-ingest", Map.of("KWSYNC_CONNECTOR_NAME", connector,
                    "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap(), "KWSYNC_SOURCE_TOPICS", connector + "-src",
                    "KWSYNC_DESTINATION_TABLE", "cds_training"));
            ServiceProcess sink = new ServiceProcess("sink-service", connector + "-sink", Map.of("KWSYNC_CONNECTOR_NAME", connector,
                    "KWSYNC_KAFKA_BOOTSTRAP_SERVERS", TestKafka.bootstrap(), "KWSYNC_JDBC_URL", TestDatabases.mariadbUrl(),
                    "KWSYNC_JDBC_USER", TestDatabases.user(), "KWSYNC_JDBC_PASSWORD", TestDatabases.password()));
            services = List.of(ingest, sink);
            TRAINEES.addAll(services);
        } catch (RuntimeException e) {
            System.out.println("ServiceArchives: no archives (" + e + ")");
            return;
        }
        for (int i = 0; i < services.size(); i++) {
            services.get(i).startWithJvmOptions(List.of("-XX:ArchiveClassesAtExit=" + dir.resolve(MODULES.get(i) + ".jsa")));
        }
        for (int i = 0; i < services.size(); i++) {
            ServiceProcess service = services.get(i);
            try {
                // its own listener: a training that is slow must not dump the threads of the tests' services
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).conditionEvaluationListener(condition -> { })
                        .until(() -> !service.isAlive() || service.status("/q/health/ready") == 200);
            } catch (RuntimeException e) {
                System.out.println("ServiceArchives: " + MODULES.get(i) + " was not ready in training, its archive has less (" + e + ")");
            }
        }
        for (int i = 0; i < services.size(); i++) {
            ServiceProcess service = services.get(i);
            Path archive = dir.resolve(MODULES.get(i) + ".jsa");
            try {
                int exit = service.stop();
                if (Files.size(archive) > 0) READY.put(MODULES.get(i), archive);
                else System.out.println("ServiceArchives: " + MODULES.get(i) + " wrote no archive (exit " + exit + ")");
            } catch (IOException | RuntimeException e) {
                System.out.println("ServiceArchives: " + MODULES.get(i) + " wrote no archive (" + e + ")");
            } finally {
                service.close();
            }
        }
        System.out.printf("ServiceArchives: %s in %d s%n", READY.keySet(), Duration.ofNanos(System.nanoTime() - started).toSeconds());
    }
}
