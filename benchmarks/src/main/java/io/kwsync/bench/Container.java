package io.kwsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A service in its JVM image (localhost/kwsync/SERVICE:dev from dev/images.sh), run through dev/podman.sh as the
 * Kubernetes manifests run it: read-only root, /tmp the only writable path, user 185, no capabilities, the host's
 * network (so it reaches the local broker and databases on 127.0.0.1), and the given memory limit without swap.
 */
final class Container {

    private final Path podman;
    private final String name;
    private final String memory;

    Container(Path repo, String name, String memory) {
        this.podman = repo.resolve("dev/podman.sh");
        this.name = name;
        this.memory = memory;
    }

    /** The podman run command up to the image, which comes last; environment options go before it. */
    List<String> runCommand(String module) {
        List<String> cmd = new ArrayList<>(List.of(podman.toString(), "run", "--name", name, "--network", "host",
                "--read-only", "--read-only-tmpfs=false", "--tmpfs", "/tmp:rw,size=64m,mode=1777", "--user", "185:185",
                "--cap-drop", "ALL", "--security-opt", "no-new-privileges"));
        if (!memory.isEmpty()) cmd.addAll(List.of("--memory", memory, "--memory-swap", memory));
        cmd.add("localhost/kwsync/" + module + ":" + System.getenv().getOrDefault("KWSYNC_IMAGE_TAG", "dev"));
        return cmd;
    }

    /**
     * "-e NAME" for each of the service's variables: the container takes the value from podman's own environment,
     * so no value (a password) appears on a command line.
     */
    static List<String> passEnv(Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (String n : names) out.addAll(List.of("-e", n));
        return out;
    }

    /** The host PID of the container's main process (java), once podman has started it. */
    long awaitPid(Process run) {
        long[] pid = {0};
        Polling.until(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
            if (!run.isAlive()) throw new IllegalStateException(name + ": podman run exited with " + run.exitValue());
            String out = podman("inspect", "-f", "{{.State.Pid}}", name);
            pid[0] = out.matches("\\d+") ? Long.parseLong(out) : 0;
            return pid[0] > 0;
        });
        return pid[0];
    }

    /** Why the container stopped: killed at its memory limit, or its exit code. */
    String exitReason() {
        String[] state = podman("inspect", "-f", "{{.State.OOMKilled}} {{.State.ExitCode}}", name).split(" ");
        return "true".equals(state[0]) ? "was killed at its memory limit (" + memory + ", OOM)" : "exited with " + state[state.length - 1];
    }

    /** SIGTERM, and SIGKILL after 60 s. */
    void stop() {
        podman("stop", "--time", "60", name);
    }

    void remove() {
        podman("rm", "--force", name);
    }

    private String podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of(podman.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(90, TimeUnit.SECONDS)) p.destroyForcibly();
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
