package io.kwsync.ingest;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package structure of ingest-service, checked on the sources (a plain scan of every reference to a package,
 * imports and fully-qualified names alike): which of the service's packages each package may use, that the pure
 * packages use no framework or Kafka, and that no source file is longer than 400 lines.
 */
class PackageRulesTest {

    static final Path SOURCES = Path.of("src/main/java/io/kwsync/ingest");
    static final String ROOT = "io.kwsync.ingest";

    /** Package -> the service's packages it may use besides itself (the model and shared-runtime are open to all). */
    static final Map<String, Set<String>> MAY_USE = Map.ofEntries(
            Map.entry("mapping", Set.of()),
            Map.entry("partition", Set.of()),
            Map.entry("schedule", Set.of()),
            Map.entry("convert", Set.of("format", "mapping", "partition")),
            Map.entry("route", Set.of("convert", "partition")),
            Map.entry("format", Set.of("mapping")),
            Map.entry("kafka", Set.of()),
            Map.entry("outbound", Set.of("mapping")),
            Map.entry("config", Set.of("convert", "format", "mapping", "outbound", "partition", "route", "schedule")),
            Map.entry("publish", Set.of("config", "convert", "kafka")),
            Map.entry("pipeline", Set.of("config", "format", "kafka", "publish")),
            Map.entry("job", Set.of("config", "kafka", "publish", "route", "schedule")),
            Map.entry("tables", Set.of("config", "schedule")),
            Map.entry("writer", Set.of("config", "job", "kafka", "outbound", "schedule", "tables")),
            Map.entry("api", Set.of("config", "kafka")),
            Map.entry("preview", Set.of("config", "convert", "kafka")),
            Map.entry("health", Set.of("config", "format", "kafka", "pipeline")),
            Map.entry("", Set.of())); // Main

    /** Pure packages: small functions over the model, testable without a broker or a container. */
    static final Set<String> PURE = Set.of("mapping", "partition", "schedule", "convert", "format", "outbound", "route");
    static final List<String> FRAMEWORKS = List.of("io.quarkus.", "io.smallrye.", "jakarta.", "org.eclipse.microprofile.",
            "org.apache.kafka.", "io.micrometer.", "io.vertx.", "org.jboss.");

    static final int MAX_LINES = 400;

    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.kwsync\\.ingest\\.([a-z]+)\\.");

    record Source(Path path, String pkg, String text) {
        /** The text after the package declaration, where references are made. */
        String body() {
            int end = text.indexOf(';', text.indexOf("package "));
            return text.substring(end + 1);
        }
    }

    static List<Source> sources() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the module directory: " + SOURCES.toAbsolutePath());
        List<Source> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                Path dir = SOURCES.relativize(f).getParent();
                String pkg = dir == null ? "" : dir.toString().replace('/', '.');
                out.add(new Source(f, pkg, Files.readString(f, StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    static Set<String> packagesUsed(Source s) {
        Set<String> used = new TreeSet<>();
        Matcher m = REFERENCE.matcher(s.body());
        while (m.find()) used.add(m.group(1));
        used.remove(s.pkg());
        return used;
    }

    @Test
    void everyPackageUsesOnlyThePackagesItMay() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            Set<String> allowed = MAY_USE.get(s.pkg());
            if (allowed == null) {
                violations.add(s.path() + ": package " + s.pkg() + " has no rule in " + getClass().getSimpleName());
                continue;
            }
            for (String used : packagesUsed(s)) {
                if (!allowed.contains(used)) violations.add(s.path() + " (" + s.pkg() + ") uses " + ROOT + "." + used);
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theStreamingPathAndTheJobPathDoNotUseEachOther() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (s.pkg().equals("pipeline") && packagesUsed(s).contains("job")) violations.add(s.path() + " uses job");
            if (s.pkg().equals("job") && packagesUsed(s).contains("pipeline")) violations.add(s.path() + " uses pipeline");
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void purePackagesUseNoFrameworkAndNoKafka() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            if (!PURE.contains(s.pkg())) continue;
            // string literals may name types (the change-event formats read Kafka Connect's type names as data)
            String code = s.body().replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
            for (String framework : FRAMEWORKS) {
                if (code.contains(framework)) violations.add(s.path() + " uses " + framework + "*");
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void noSourceFileIsLongerThan400Lines() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            long lines = s.text().lines().count();
            if (lines > MAX_LINES) violations.add(s.path() + ": " + lines + " lines");
        }
        assertEquals(List.of(), violations);
    }

    /** The scan sees what it must: every package has sources, and a known use is found (else the rules prove nothing). */
    @Test
    void theScanFindsTheSourcesAndTheirReferences() throws IOException {
        List<Source> all = sources();
        Set<String> packages = new TreeSet<>();
        all.forEach(s -> packages.add(s.pkg()));
        assertEquals(new TreeSet<>(MAY_USE.keySet()), packages, "every package has a rule, every rule a package");
        Source processor = all.stream().filter(s -> s.path().endsWith("pipeline/SourceProcessor.java")).findFirst().orElseThrow();
        assertTrue(packagesUsed(processor).contains("publish"), "SourceProcessor publishes through publish/");
        assertTrue(packagesUsed(new Source(Path.of("X.java"), "pipeline", "package x;\nimport io.kwsync.ingest.job.JobService;"))
                .contains("job"), "an import of another package is found");
        assertTrue(packagesUsed(new Source(Path.of("X.java"), "pipeline", "package x;\nclass X { io.kwsync.ingest.job.Runs r; }"))
                .contains("job"), "a fully-qualified name is found");
    }
}
