package io.kwsync.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The container engine as the tests use it: podman through dev/podman.sh (which points podman at the
 * containers.conf dev/images.sh writes), and dev/images.sh itself. Every call has a deadline.
 */
final class Podman {

    static final Path SCRIPT = Repo.ROOT.resolve("dev/podman.sh");

    private Podman() {
    }

    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int exitCode, String output) {
        Result orThrow(List<String> command) {
            if (exitCode != 0) throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode + ":\n" + output);
            return this;
        }
    }

    /** Runs podman with args, waits at most timeout, and fails on a non-zero exit. */
    static String run(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of(), timeout, null).orThrow(cmd).output().strip();
    }

    /** Runs podman with args, without failing on a non-zero exit. */
    static Result attempt(Duration timeout, String... args) {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString()));
        cmd.addAll(List.of(args));
        return exec(cmd, Map.of(), timeout, null);
    }

    /** dev/images.sh's exit status when the machine cannot run containers at all (dev/containers.sh). */
    static final int ENGINE_UNUSABLE = 3;

    /**
     * dev/images.sh with the given image tag: installs podman and builds the base image when missing, then both
     * services' images from their packaged target/quarkus-app. Its output goes to log. Returns null when the images
     * are built, and the script's reason when this machine cannot run containers; fails on any other error.
     */
    static String buildImages(String tag, Path log, Duration timeout) {
        List<String> cmd = List.of(Repo.ROOT.resolve("dev/images.sh").toString());
        Result r = exec(cmd, Map.of("KWSYNC_IMAGE_TAG", tag), timeout, log);
        if (r.exitCode() == ENGINE_UNUSABLE) return tail(log, 3);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("dev/images.sh exited with " + r.exitCode() + "; its output (" + log + "):\n" + tail(log, 40));
        }
        return null;
    }

    /**
     * Starts a command and waits for it. env adds to this JVM's environment, whose values a container can take
     * by name ({@code -e NAME}), so that no value appears on a command line. With a log file, the output goes
     * there and the result's output is empty.
     */
    static Result exec(List<String> cmd, Map<String, String> env, Duration timeout, Path log) {
        try {
            // to a file rather than a pipe: a pipe is read only until its end, which would outlast the deadline
            Path out = log != null ? log : Files.createTempFile("podman", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish within " + timeout);
            }
            String text = "";
            if (log == null) {
                text = Files.readString(out, StandardCharsets.UTF_8);
                Files.delete(out);
            }
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
