package io.kwsync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The container of one rendered Deployment, translated into podman options as far as one container engine can
 * carry them: the pod's and the container's security context (user, group, fsGroup, no privilege escalation, no
 * capabilities, read-only root), its volumes (emptyDir as a tmpfs of the same size limit, Secrets as read-only
 * files with the volume's mode and group), its memory and CPU limits, and the probe paths and grace period the
 * test then uses. Manifest settings this class does not translate make it fail, so that a change to the manifests
 * is either exercised here or noticed.
 */
final class ManifestContainer {

    private static final Set<String> POD_SECURITY = Set.of("runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup", "seccompProfile");
    private static final Set<String> CONTAINER_SECURITY = Set.of("allowPrivilegeEscalation", "readOnlyRootFilesystem", "privileged", "capabilities");

    private final List<ObjectNode> all;
    private final JsonNode pod;
    private final JsonNode container;

    private ManifestContainer(List<ObjectNode> all, JsonNode pod, JsonNode container) {
        this.all = all;
        this.pod = pod;
        this.container = container;
    }

    static ManifestContainer of(List<ObjectNode> rendered, String deployment) {
        JsonNode pod = Kustomize.find(rendered, "Deployment", deployment).path("spec").path("template").path("spec");
        return new ManifestContainer(rendered, pod, ManifestsTest.single(pod.path("containers")));
    }

    /** The variables the manifests give the container (ConfigMaps, then env entries). */
    Map<String, String> environment() {
        return ManifestsTest.environment(all, container);
    }

    String probePath(String probe) {
        return container.path(probe).path("httpGet").path("path").asText();
    }

    int gracePeriodSeconds() {
        return pod.path("terminationGracePeriodSeconds").asInt(30);
    }

    int runAsUser() {
        return pod.path("securityContext").path("runAsUser").asInt();
    }

    /** The memory limit in bytes (Mi and Gi quantities, as the manifests write them). */
    long memoryLimitBytes() {
        return bytes(container.path("resources").path("limits").path("memory").asText());
    }

    /** The secret volumes' names, in order: {@link #runOptions} wants the files of each. */
    List<String> secretNames() {
        List<String> out = new ArrayList<>();
        pod.path("volumes").forEach(v -> {
            if (v.has("secret")) out.add(v.path("secret").path("secretName").asText());
        });
        return out;
    }

    /**
     * podman run options for this container. secrets holds the files of each mounted Secret (secret name -> key
     * -> content); they are written under dir with the volume's mode and the pod's fsGroup, as the kubelet would.
     */
    List<String> runOptions(Map<String, Map<String, String>> secrets, Path dir) {
        List<String> o = new ArrayList<>();
        JsonNode podSec = pod.path("securityContext");
        JsonNode sec = container.path("securityContext");
        unsupported(podSec, POD_SECURITY, "pod securityContext");
        unsupported(sec, CONTAINER_SECURITY, "container securityContext");
        if (!podSec.path("seccompProfile").path("type").asText("RuntimeDefault").equals("RuntimeDefault")) {
            throw new IllegalStateException("only the RuntimeDefault seccomp profile (podman's default) is translated");
        }
        o.addAll(List.of("--user", runAsUser() + ":" + podSec.path("runAsGroup").asInt(0)));
        if (podSec.has("fsGroup")) o.addAll(List.of("--group-add", podSec.path("fsGroup").asText()));
        if (!sec.path("allowPrivilegeEscalation").asBoolean(true)) o.addAll(List.of("--security-opt", "no-new-privileges"));
        if (sec.path("privileged").asBoolean(false)) throw new IllegalStateException("privileged containers are not run");
        sec.path("capabilities").path("drop").forEach(c -> o.addAll(List.of("--cap-drop", c.asText())));
        if (sec.path("capabilities").has("add")) throw new IllegalStateException("added capabilities are not translated");
        // read-only root and nothing else writable unless a volume says so (podman would add tmpfs on /tmp, /run, /var/tmp)
        if (sec.path("readOnlyRootFilesystem").asBoolean(false)) o.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
        JsonNode limits = container.path("resources").path("limits");
        if (limits.has("memory")) {
            String m = Long.toString(memoryLimitBytes());
            o.addAll(List.of("--memory", m, "--memory-swap", m)); // Kubernetes gives containers no swap
        }
        if (limits.has("cpu")) o.addAll(List.of("--cpus", Double.toString(cpus(limits.path("cpu").asText()))));
        for (JsonNode mount : container.path("volumeMounts")) {
            JsonNode volume = ManifestsTest.volume(pod, mount.path("name").asText());
            String path = mount.path("mountPath").asText();
            if (volume.has("emptyDir")) {
                String size = volume.path("emptyDir").path("sizeLimit").asText("");
                o.addAll(List.of("--tmpfs", path + ":rw,mode=1777" + (size.isEmpty() ? "" : ",size=" + bytes(size))));
            } else if (volume.has("secret")) {
                String name = volume.path("secret").path("secretName").asText();
                Map<String, String> files = secrets.get(name);
                if (files == null) throw new IllegalStateException("no files given for Secret " + name);
                Path d = writeSecret(dir.resolve(name), files, volume.path("secret").path("defaultMode").asInt(0644),
                        podSec.path("fsGroup").asInt(0));
                o.addAll(List.of("--volume", d + ":" + path + ":ro"));
            } else {
                throw new IllegalStateException("volume " + volume + " is not translated");
            }
        }
        return o;
    }

    private static void unsupported(JsonNode context, Set<String> known, String what) {
        context.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) throw new IllegalStateException(what + "." + f + " is not translated into a podman option; extend ManifestContainer");
        });
    }

    private static Path writeSecret(Path dir, Map<String, String> files, int mode, int group) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
            for (var f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.writeString(p, f.getValue());
                Files.setAttribute(p, "unix:gid", group);
                Files.setAttribute(p, "unix:mode", mode);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long bytes(String quantity) {
        if (quantity.endsWith("Gi")) return Long.parseLong(quantity.substring(0, quantity.length() - 2)) << 30;
        if (quantity.endsWith("Mi")) return Long.parseLong(quantity.substring(0, quantity.length() - 2)) << 20;
        if (quantity.endsWith("Ki")) return Long.parseLong(quantity.substring(0, quantity.length() - 2)) << 10;
        if (quantity.matches("\\d+")) return Long.parseLong(quantity);
        throw new IllegalStateException("quantity " + quantity + " is not translated (use Ki, Mi, Gi or bytes)");
    }

    static double cpus(String quantity) {
        return quantity.endsWith("m") ? Long.parseLong(quantity.substring(0, quantity.length() - 1)) / 1000.0 : Double.parseDouble(quantity);
    }
}
