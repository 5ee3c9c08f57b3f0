package io.kwsync.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * One packaged service (ingest-service or sink-service) run as a real JVM process, as in production: configured only
 * through environment variables, on a free HTTP port, its output in system-tests/target/logs.
 */
public final class ServiceProcess implements AutoCloseable {

    public static final Path REPO = Path.of(System.getProperty("kwsync.repo", "..")).toAbsolutePath().normalize();
    /** Processes started and not yet stopped: a test that gives up waiting dumps their threads ({@link StallDumps}). */
    static final Set<ServiceProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        StallDumps.install();
    }

    /**
     * JVM options of every service a test starts. A suite starts well over a hundred short-lived services on two shared
     * cores, so start-up CPU is what the suite waits on: the C1 compiler alone and the serial collector take about 40%
     * less CPU to readiness than the defaults, and no test needs peak throughput (the benchmarks start their services
     * themselves). {@code -Dkwsync.it.service-jvm-options=...} replaces them, e.g. with nothing for the JVM's defaults.
     * Class-data sharing ({@link ServiceArchives}) takes a quarter off the rest.
     */
    static final List<String> JVM_OPTIONS = List.of(System.getProperty("kwsync.it.service-jvm-options",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC").trim().split("\\s+")).stream().filter(o -> !o.isEmpty()).toList();

    private final String module;
    private final String name;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private Process process;
    private int starts;

    public ServiceProcess(String module, String name, Map<String, String> env) {
        this.module = module;
        this.name = name;
        this.env = new HashMap<>(env);
        this.port = freePort();
        this.log = REPO.resolve("system-tests/target/logs/" + name + ".log");
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings for the next start (a restart with a different configuration). */
    public void envPut(Map<String, String> more) {
        env.putAll(more);
    }

    /** Starts the JVM with {@link #JVM_OPTIONS} and the service's class-data archive ({@link ServiceArchives}), if any. */
    public ServiceProcess start() {
        return startWithJvmOptions(ServiceArchives.options(module));
    }

    /** Starts the JVM with {@link #JVM_OPTIONS} and {@code extra} (no class-data archive unless named there). */
    ServiceProcess startWithJvmOptions(List<String> extra) {
        Path jar = REPO.resolve(module + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " missing: package the services first (mvn verify)");
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xmx512m", "--add-opens=java.base/java.nio=ALL-UNNAMED"));
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(extra);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        try {
            Files.createDirectories(log.getParent());
            pb.redirectOutput(starts++ == 0 ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.appendTo(log.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pb.environment().keySet().removeIf(k -> k.startsWith("KWSYNC_") && !k.startsWith("KWSYNC_DEV_"));
        pb.environment().putAll(env);
        if (!env.containsKey("KWSYNC_HTTP_PORT")) pb.environment().put("KWSYNC_HTTP_PORT", Integer.toString(port));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LIVE.add(this);
        return this;
    }

    /** Starts and waits until /q/health/ready answers 200. */
    public ServiceProcess startReady(Duration timeout) {
        start();
        awaitReady(timeout);
        return this;
    }

    /** Starts all, then waits until each is ready: the JVMs start side by side, each within {@code timeout}. */
    public static void startAllReady(Duration timeout, ServiceProcess... services) {
        for (ServiceProcess s : services) s.start();
        for (ServiceProcess s : services) s.awaitReady(timeout);
    }

    public void awaitReady(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + output());
            return status("/q/health/ready") == 200;
        });
    }

    /** HTTP status of a GET on this service, or -1 when it does not answer. */
    public int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url(path)).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** GET of a path; under /api/ with this service's own KWSYNC_API_TOKEN, when it has one. */
    public String get(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url(path)).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            if (env.containsKey("KWSYNC_API_TOKEN")) c.setRequestProperty("Authorization", "Bearer " + env.get("KWSYNC_API_TOKEN"));
            var in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An HTTP answer: status and body. */
    public record Response(int status, String body) {
    }

    /** POST of a JSON body with this service's own KWSYNC_API_TOKEN. */
    public Response post(String path, String json) {
        return post(path, env.get("KWSYNC_API_TOKEN"), json);
    }

    /** POST of a JSON body, with "Authorization: Bearer token" unless token is null. */
    public Response post(String path, String token, String json) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url(path)).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(60_000);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            if (token != null) c.setRequestProperty("Authorization", "Bearer " + token);
            try (var out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
            int status = c.getResponseCode();
            var in = status < 400 ? c.getInputStream() : c.getErrorStream();
            return new Response(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Waits for the process to exit by itself and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) throw new IllegalStateException(name + " did not exit");
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** kill -9: no shutdown hooks, no flush. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }

    /** SIGTERM, as Kubernetes does; waits for a graceful exit. */
    public int stop() {
        if (process == null || !process.isAlive()) return process == null ? 0 : process.exitValue();
        process.destroy();
        return awaitExit(Duration.ofSeconds(60));
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /**
     * The service's thread dump (jcmd Thread.print), also appended to its log, for a test that gave up waiting on it:
     * a stall then shows where each thread was. Best effort, bounded to 30 s; empty when it cannot be taken.
     */
    public String dumpThreads() {
        if (!isAlive()) return "";
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Path dump = Files.createTempFile("kwsync-threads", ".txt");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(dump.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            byte[] out = Files.readAllBytes(dump);
            Files.delete(dump);
            Files.write(log, out, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // no jcmd on this JDK: the log stays as it is
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The process's name, as in its log file. */
    public String name() {
        return name;
    }

    /** The last {@code n} lines of the log that are warnings or errors, one line each (stack traces left out). */
    public List<String> lastProblems(int n) {
        List<String> problems = output().lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).toList();
        return problems.subList(Math.max(0, problems.size() - n), problems.size());
    }

    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        LIVE.remove(this);
        kill();
    }
}
