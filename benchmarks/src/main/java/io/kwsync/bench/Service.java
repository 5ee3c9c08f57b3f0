package io.kwsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged service run as a real JVM process, or in its container image (dev/images.sh), configured only
 * through environment variables (as the system tests' ServiceProcess does), with what the benchmark needs on top:
 * its peak RSS and CPU time from /proc (a container's process is a process of this machine too) and, on request, a
 * JFR recording of the whole run.
 */
final class Service implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Container container;
    private final long pid;
    private final int port;
    private final Path jfr;

    private Service(String name, Process process, Container container, int port, Path jfr) {
        this.name = name;
        this.process = process;
        this.container = container;
        this.port = port;
        this.jfr = jfr;
        this.pid = container == null ? process.pid() : container.awaitPid(process);
    }

    /**
     * How the services are started. containerMemory null: as JVM processes with -Xmx512m; otherwise in their images
     * under podman, with that memory limit (e.g. 256m; empty for none) and the image's own JVM sizing.
     */
    record Launch(Path repo, Path out, boolean profile, String containerMemory) {

        /** Starts module with env and waits until /q/health/ready answers 200. */
        Service start(String module, String name, Map<String, String> env, boolean profileThis) {
            int port = freePort();
            Path jfr = profile && profileThis ? out.resolve(name + ".jfr") : null;
            Container container = containerMemory == null ? null : new Container(repo, name, containerMemory);
            List<String> cmd = container == null ? javaCommand(module, jfr) : container.runCommand(module);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.resolve(name + ".log").toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("KWSYNC_") && !k.startsWith("KWSYNC_DEV_"));
            pb.environment().putAll(env);
            // experiments: KWSYNC_BENCH_INGEST_ENV_X=v (or _SINK_ENV_) in the benchmark's environment sets X=v for the service
            String prefix = "KWSYNC_BENCH_" + (module.startsWith("ingest") ? "INGEST" : "SINK") + "_ENV_";
            List<String> passed = new ArrayList<>(env.keySet());
            System.getenv().forEach((k, v) -> {
                if (!k.startsWith(prefix)) return;
                pb.environment().put(k.substring(prefix.length()), v);
                passed.add(k.substring(prefix.length()));
            });
            pb.environment().put("KWSYNC_HTTP_PORT", Integer.toString(port));
            passed.add("KWSYNC_HTTP_PORT");
            if (container != null) {
                // experiments: JVM options for both services, after the image's own (JAVA_OPTS_APPEND)
                pb.environment().put("JAVA_OPTS_APPEND", System.getenv().getOrDefault("KWSYNC_BENCH_JAVA_OPTS", ""));
                passed.add("JAVA_OPTS_APPEND");
                pb.command().addAll(pb.command().size() - 1, Container.passEnv(passed));
            }
            Service s;
            try {
                s = new Service(name, pb.start(), container, port, jfr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Polling.until(Duration.ofSeconds(90), Duration.ofMillis(200), () -> {
                s.checkAlive();
                return s.readyStatus() == 200;
            });
            return s;
        }

        private List<String> javaCommand(String module, Path jfr) {
            Path jar = repo.resolve(module + "/target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) throw new IllegalStateException(jar + " missing: package the services first");
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "--add-opens=java.base/java.nio=ALL-UNNAMED"));
            if (jfr != null) cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + jfr);
            // experiments: JVM options for both services, e.g. KWSYNC_BENCH_JAVA_OPTS=-XX:+UseParallelGC
            String javaOpts = System.getenv().getOrDefault("KWSYNC_BENCH_JAVA_OPTS", "").strip();
            if (!javaOpts.isEmpty()) cmd.addAll(List.of(javaOpts.split("\\s+")));
            cmd.addAll(List.of("-jar", jar.toString()));
            return cmd;
        }
    }

    /** Throws when the service is gone: an exit, or the kernel's OOM killer at the container's memory limit. */
    void checkAlive() {
        if (process.isAlive()) return;
        String why = container == null ? "exited with " + process.exitValue() : container.exitReason();
        throw new IllegalStateException(name + " " + why + "; see its log " + name + ".log");
    }

    private int readyStatus() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/q/health/ready").toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** VmHWM of the process: the most resident memory it ever had, in KiB. */
    long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmHWM for " + name);
    }

    /** CPU time (user + system) the process has used so far, in milliseconds (/proc/PID/stat, 100 ticks a second). */
    long cpuMillis() {
        try {
            return ProcessCpu.statMillis(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JFR recording, written when the process stopped gracefully; null when not profiled. */
    Path recording() {
        return jfr;
    }

    String name() {
        return name;
    }

    /** The process id on this machine (for a container, its process as this machine sees it). */
    long pid() {
        return pid;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM and wait: the JFR recording is written on the way out. A container is removed afterwards. */
    @Override
    public void close() {
        if (container != null) container.stop();
        else process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        if (container != null) container.remove();
    }
}
