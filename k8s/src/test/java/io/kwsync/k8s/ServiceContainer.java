package io.kwsync.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One service image running under podman with the options of its Deployment ({@link ManifestContainer}), on the
 * host's network so that it reaches the local broker and database on 127.0.0.1; its HTTP port is a free one,
 * given through KWSYNC_HTTP_PORT. Closing it saves its log under the test's output directory and removes it.
 */
final class ServiceContainer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration PODMAN = Duration.ofSeconds(60);

    private final ManifestContainer manifest;
    private final String name;
    private final int port;
    private final Path logDir;

    private ServiceContainer(ManifestContainer manifest, String name, int port, Path logDir) {
        this.manifest = manifest;
        this.name = name;
        this.port = port;
        this.logDir = logDir;
    }

    /**
     * podman run -d. Variable values go through podman's environment ({@code -e NAME}), never on its command line;
     * KWSYNC_HTTP_PORT is set to port.
     */
    static ServiceContainer start(ManifestContainer manifest, String name, String image, Map<String, String> env,
                                  Map<String, Map<String, String>> secrets, int port, Path dir) {
        Map<String, String> variables = new java.util.HashMap<>(env);
        variables.put("KWSYNC_HTTP_PORT", Integer.toString(port));
        List<String> cmd = new ArrayList<>(List.of(Podman.SCRIPT.toString(), "run", "--detach", "--name", name, "--network", "host"));
        cmd.addAll(manifest.runOptions(secrets, dir.resolve(name + "-secrets")));
        variables.keySet().forEach(k -> cmd.addAll(List.of("--env", k)));
        cmd.add(image);
        Podman.exec(cmd, variables, PODMAN, null).orThrow(cmd);
        return new ServiceContainer(manifest, name, port, dir);
    }

    String name() {
        return name;
    }

    ManifestContainer manifest() {
        return manifest;
    }

    /** A response: status -1 and an empty body when nothing answered. */
    record Answer(int status, String body) {
    }

    /** GET path on the service's HTTP port. */
    Answer get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(-1, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean running() {
        return "true".equals(inspect("{{.State.Running}}"));
    }

    /** Runs a shell command inside the container as its user; the result's exit code and output. */
    Podman.Result exec(String shellCommand) {
        return Podman.attempt(PODMAN, "exec", name, "/bin/sh", "-c", shellCommand);
    }

    /** VmHWM of the container's main process (java), in KiB: read from this machine's /proc. */
    long peakRssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + inspect("{{.State.Pid}}") + "/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmHWM for " + name);
    }

    /** How a container ended: its exit code, whether the kernel killed it at its memory limit, and how long the stop took. */
    record Stop(int exitCode, boolean oomKilled, Duration took) {
    }

    /** podman stop: SIGTERM, then SIGKILL once the grace period has passed, as the kubelet does. */
    Stop stop(int graceSeconds) {
        long t0 = System.nanoTime();
        Podman.run(Duration.ofSeconds(graceSeconds + 60L), "stop", "--time", Integer.toString(graceSeconds), name);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        String[] state = inspect("{{.State.ExitCode}} {{.State.OOMKilled}}").split(" ");
        return new Stop(Integer.parseInt(state[0]), Boolean.parseBoolean(state[1]), took);
    }

    String logs() {
        return Podman.attempt(PODMAN, "logs", name).output();
    }

    private String inspect(String format) {
        return Podman.run(PODMAN, "inspect", "--format", format, name);
    }

    /** Saves the log and removes the container (stopping it first if it still runs). */
    @Override
    public void close() {
        try {
            Files.writeString(logDir.resolve(name + ".log"), logs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Podman.attempt(PODMAN, "rm", "--force", "--time", "5", name);
        }
    }
}
