package io.kwsync.sink;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The package map of sink-service, checked on its main sources by reading them (no class loading): what each package
 * may use of the others, that destinations are plug-ins nobody else names, that the SQL dialects keep their
 * differences to themselves, and that no file grows past 400 lines. A rule broken lists every offending file.
 */
class PackageRulesTest {

    static final Path SOURCES = Path.of("src/main/java");
    static final String BASE = "io.kwsync.sink";
    static final Pattern REFERENCE = Pattern.compile("\\bio\\.kwsync\\.sink((?:\\.[a-z][a-z0-9]*)*)");
    static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");
    /** Asking a dialect what it is: comparing its name, testing its class, naming a concrete dialect's classes. */
    static final Pattern DIALECT_TEST = Pattern.compile(String.join("|",
            "[dD]ialect(?:\\(\\))?\\s*\\.\\s*name\\(\\)\\s*\\.\\s*(?:equals|equalsIgnoreCase|contains|startsWith)\\b",
            "\\.equals(?:IgnoreCase)?\\(\\s*\\w*[dD]ialect(?:\\(\\))?\\s*\\.\\s*name\\(\\)",
            "\"(?:mysql|postgresql|mariadb)\"\\s*\\.\\s*equals",
            "switch\\s*\\(\\s*\\w*[dD]ialect(?:\\(\\))?\\s*\\.\\s*name\\(\\)",
            "instanceof\\s+[\\w.]*Dialect\\b",
            "\\b(?:MySql|Postgres)(?:Dialect|Errors|BulkLoader|Types)\\b"));
    static final int MAX_LINES = 400;

    /** Every main source file -> its text. */
    static final Map<Path, String> FILES = new TreeMap<>();

    @BeforeAll
    static void read() {
        try (Stream<Path> s = Files.walk(SOURCES)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) FILES.put(f, Files.readString(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(FILES.size() > 50, "sink-service's sources are found from " + SOURCES.toAbsolutePath());
    }

    /** The package of a source file relative to io.kwsync.sink: "", "config", "jdbc.write"... */
    static String packageOf(Path file) {
        Path rel = SOURCES.resolve(BASE.replace('.', '/')).relativize(file.getParent());
        return rel.toString().replace('/', '.');
    }

    /** The io.kwsync.sink packages a file names (imports, qualified names, links), other than its own. */
    static Set<String> uses(Path file) {
        Set<String> out = new TreeSet<>();
        Matcher m = REFERENCE.matcher(FILES.get(file).replaceFirst("(?m)^package [^;]+;", ""));
        while (m.find()) {
            List<String> parts = new ArrayList<>(List.of(m.group(1).isEmpty() ? new String[0] : m.group(1).substring(1).split("\\.")));
            while (!parts.isEmpty() && !Files.isDirectory(SOURCES.resolve((BASE + "." + String.join(".", parts)).replace('.', '/')))) {
                parts.remove(parts.size() - 1); // a class name, not a package
            }
            String used = String.join(".", parts);
            if (!used.equals(packageOf(file))) out.add(used);
        }
        return out;
    }

    /** Direct subpackages of io.kwsync.sink that are destinations: they contribute a DestinationCheck. */
    static Set<String> destinations() {
        Set<String> out = new TreeSet<>();
        FILES.forEach((f, text) -> {
            String pkg = packageOf(f);
            if (!pkg.isEmpty() && !pkg.equals("config") && text.contains("DestinationCheck check()")) out.add(pkg.split("\\.")[0]);
        });
        return out;
    }

    static boolean within(String pkg, String top) {
        return pkg.equals(top) || pkg.startsWith(top + ".");
    }

    @Test
    void destinationsAreFound() {
        assertEquals(Set.of("jdbc", "maxcompute"), destinations());
    }

    @Test
    void nothingOutsideADestinationNamesIt() {
        List<String> broken = new ArrayList<>();
        for (String destination : destinations()) {
            for (Path f : FILES.keySet()) {
                if (within(packageOf(f), destination)) continue;
                for (String used : uses(f)) if (within(used, destination)) broken.add(f + " uses " + BASE + "." + used);
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theSharedPackagesUseOnlyEachOther() {
        // config: the service's own settings and the choice of destination; job: the window-job protocol; consume,
        // health: the rows consumer and the checks. None of them names a destination or a package of one.
        Map<String, Set<String>> allowed = Map.of(
                "config", Set.of(),
                "job", Set.of("", "config"),
                "health", Set.of("config", "consume"),
                "consume", Set.of("", "config", "job"),
                "preview", Set.of("", "config"),
                "", Set.of("config"));
        assertEquals(List.of(), violations(allowed));
    }

    @Test
    void theJdbcDestinationIsLayered() {
        // schema: the table model; dialect: what differs between databases; write: coercion and statements shared by
        // streaming and jobs; job: window-job staging and bookkeeping; jdbc: the plug-in and the streaming sink.
        Map<String, Set<String>> allowed = Map.of(
                "jdbc.schema", Set.of(),
                "jdbc.dialect", Set.of("jdbc.schema"),
                "jdbc.write", Set.of("", "jdbc.dialect", "jdbc.schema"),
                "jdbc.job", Set.of("", "job", "jdbc.write", "jdbc.dialect", "jdbc.schema"));
        assertEquals(List.of(), violations(allowed));
    }

    private static List<String> violations(Map<String, Set<String>> allowed) {
        List<String> broken = new ArrayList<>();
        FILES.keySet().forEach(f -> {
            Set<String> ok = allowed.get(packageOf(f));
            if (ok == null) return;
            for (String used : uses(f)) if (!ok.contains(used)) broken.add(f + " uses " + (used.isEmpty() ? BASE : BASE + "." + used));
        });
        return broken;
    }

    @Test
    void onlyTheDialectsKnowWhichDatabaseItIs() {
        List<String> broken = new ArrayList<>();
        FILES.forEach((f, text) -> {
            if (within(packageOf(f), "jdbc.dialect")) return;
            Matcher m = DIALECT_TEST.matcher(COMMENT.matcher(text).replaceAll(""));
            while (m.find()) broken.add(f + ": " + m.group());
        });
        assertEquals(List.of(), broken);
    }

    @Test
    void theDialectRuleTellsAQuestionToTheDialectFromOtherNames() {
        for (String asks : List.of("dialect.name().equals(\"postgresql\")", "s.dialect().name().equals(x)",
                "\"mysql\".equals(dialect.name())", "x.equals(dialect.name())", "switch (dialect.name()) {",
                "dialect instanceof PostgresDialect", "d instanceof io.kwsync.sink.jdbc.dialect.SqlDialect",
                "new MySqlBulkLoader(d)", "PostgresErrors.X")) {
            assertTrue(DIALECT_TEST.matcher(asks).find(), asks);
        }
        for (String fine : List.of("col.name().equals(name)", "table.name().equals(rs.getString(1))",
                "LOG.infof(\"%s\", dialect.name())", "dialect.errors().isFatal(e)", "SqlDialect.forUrl(url)")) {
            assertTrue(!DIALECT_TEST.matcher(fine).find(), fine);
        }
    }

    @Test
    void noSourceFileIsLongerThan400Lines() {
        List<String> broken = new ArrayList<>();
        FILES.forEach((f, text) -> {
            long lines = text.lines().count();
            if (lines > MAX_LINES) broken.add(f + ": " + lines + " lines");
        });
        assertEquals(List.of(), broken);
    }
}
