package io.kwsync.k8s;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the Dockerfiles say, checked as text: base images (the JVM one a build argument whose default is the
 * published UBI image), a non-root numeric user, the JVM options and the entry point, the port the manifests probe,
 * and that every path the JVM Dockerfile copies exists in the packaged service and passes its .dockerignore.
 * {@link ContainersIT} builds and runs the JVM images; the native ones cannot be built here. An IT: it needs the
 * services' target/quarkus-app, which exists once the reactor has packaged them.
 */
class DockerfilesIT {

    static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$");

    static List<String> lines(String text, String instruction) {
        return text.lines().filter(l -> l.startsWith(instruction + " ")).map(l -> l.substring(instruction.length() + 1).strip()).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "sink-service"})
    void jvmImage(String module) throws IOException {
        Path dir = Repo.ROOT.resolve(module);
        String text = Repo.read(dir.resolve("src/main/docker/Dockerfile.jvm"));
        String base = lines(text, "ARG").stream().filter(l -> l.startsWith("BASE_IMAGE=")).findFirst().orElseThrow();
        assertTrue(base.matches("BASE_IMAGE=registry\\.access\\.redhat\\.com/ubi\\d+/openjdk-17-runtime:[0-9.]+"), base);
        assertEquals(List.of("${BASE_IMAGE}"), lines(text, "FROM"), "the base is a build argument (dev/images.sh passes a local one)");
        assertEquals(List.of("185"), lines(text, "USER"), "the manifests' runAsUser, numeric so that runAsNonRoot can check it");
        assertEquals(List.of("8080"), lines(text, "EXPOSE"), "the port the manifests probe (KWSYNC_HTTP_PORT default)");
        String opens = Repo.read(Repo.ROOT.resolve("pom.xml")).replaceAll("(?s).*<kwsync.jvm.opens>(.*?)</kwsync.jvm.opens>.*", "$1");
        assertEquals("--add-opens=java.base/java.nio=ALL-UNNAMED", opens);
        String javaOpts = lines(text, "ENV").stream().filter(l -> l.startsWith("JAVA_OPTS=")).findFirst().orElseThrow();
        assertTrue(javaOpts.contains(opens), "the odps SDK needs " + opens);
        for (String option : List.of("-Dquarkus.http.host=0.0.0.0", "-XX:MaxRAMPercentage=", "-XX:MaxDirectMemorySize=", "-XX:+ExitOnOutOfMemoryError")) {
            assertTrue(javaOpts.contains(option), "JAVA_OPTS lacks " + option);
        }
        // exec: java replaces the shell as the container's main process, so SIGTERM reaches the JVM; the operator's
        // JAVA_OPTS_APPEND comes after the defaults and overrides them
        assertEquals(List.of("[ \"/bin/sh\", \"-c\", \"exec java $JAVA_OPTS $JAVA_OPTS_APPEND -jar /deployments/quarkus-run.jar\" ]"),
                lines(text, "ENTRYPOINT"));
        String other = module.equals("ingest-service") ? "sink-service" : "ingest-service";
        assertEquals(Repo.read(Repo.ROOT.resolve(other).resolve("src/main/docker/Dockerfile.jvm")).replace(other, module), text,
                "both services' JVM Dockerfiles are the same but for the service's name");

        Path app = dir.resolve("target/quarkus-app");
        assertTrue(Files.exists(app.resolve("quarkus-run.jar")), app + " missing: package the services first");
        Matcher m = COPY.matcher(text);
        int copies = 0;
        while (m.find()) {
            copies++;
            String source = m.group(1);
            List<Path> files = matches(dir, source);
            assertFalse(files.isEmpty(), module + ": COPY " + source + " matches nothing");
            for (Path f : files) {
                assertTrue(passesDockerignore(dir, dir.relativize(f)), module + ": .dockerignore keeps " + f + " out of the build context");
            }
            assertFalse(passesDockerignore(dir, Path.of("src/main/java")), "the context holds the build output only");
        }
        assertEquals(4, copies, "lib, jars, app, quarkus layers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "sink-service"})
    void nativeImage(String module) {
        Path dir = Repo.ROOT.resolve(module);
        String text = Repo.read(dir.resolve("src/main/docker/Dockerfile.native"));
        assertTrue(lines(text, "FROM").get(0).matches("registry\\.access\\.redhat\\.com/ubi\\d+/ubi-minimal:[0-9.]+"), text);
        String user = lines(text, "USER").get(0);
        assertTrue(user.matches("\\d+") && !user.equals("0"), "numeric non-root user, so runAsNonRoot can verify it");
        assertEquals(List.of("8080"), lines(text, "EXPOSE"));
        Matcher m = COPY.matcher(text);
        assertTrue(m.find());
        assertEquals("target/*-runner", m.group(1));
        // What mvn -Pnative produces: target/<artifactId>-<version>-runner (cannot be built on these machines).
        String expected = "target/" + module + "-0.1.0-SNAPSHOT-runner";
        assertTrue(FileSystems.getDefault().getPathMatcher("glob:" + m.group(1)).matches(Path.of(expected)), expected);
        assertTrue(passesDockerignore(dir, Path.of(expected)));
        assertTrue(text.contains("-Dquarkus.http.host=0.0.0.0"));
    }

    static List<Path> matches(Path dir, String source) {
        String glob = source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (var files = Files.walk(dir.resolve("target"), 3)) {
            return files.filter(f -> matcher.matches(dir.relativize(f))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Docker's rule: the last .dockerignore pattern that matches the path or one of its parent directories decides;
     * '!' patterns include again.
     */
    static boolean passesDockerignore(Path dir, Path relative) {
        List<String> patterns = Repo.read(dir.resolve(".dockerignore")).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        boolean included = true;
        for (String p : patterns) {
            boolean negate = p.startsWith("!");
            var matcher = FileSystems.getDefault().getPathMatcher("glob:" + (negate ? p.substring(1) : p));
            for (Path prefix = relative; prefix != null; prefix = prefix.getParent()) {
                if (matcher.matches(prefix)) {
                    included = negate;
                    break;
                }
            }
        }
        return included;
    }
}
