package io.kwsync.k8s;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Markdown documentation (README.md and docs/): every relative link leads to a file of the repository (and, into a
 * Markdown page, to a heading it has), and no Markdown file refers to "the spec" or a "specification", a document a
 * reader of this repository does not have; pages name the behaviour or the product documentation they follow instead.
 */
class DocsTest {

    static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
    static final Pattern FENCED = Pattern.compile("(?ms)^ {0,3}```.*?^ {0,3}```[^\\n]*$");
    static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]*`");
    static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}[ \\t]+(.+?)[ \\t#]*$");
    static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
    static final Pattern SPEC = Pattern.compile("(?i)\\bthe spec\\b|\\bspecification\\b");

    @Test
    void everyRelativeLinkLeadsToAnExistingFileAndHeading() {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        int checked = 0;
        for (Path page : pages()) {
            Matcher m = LINK.matcher(withoutCode(Repo.read(page)));
            while (m.find()) {
                checked++;
                String target = m.group(1);
                if (SCHEME.matcher(target).find()) continue; // https:, mailto: ...
                int hash = target.indexOf('#');
                String path = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path file = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
                String where = Repo.ROOT.relativize(page) + ": link " + target;
                if (!file.startsWith(Repo.ROOT)) {
                    broken.add(where + " leaves the repository");
                } else if (!Files.exists(file)) {
                    broken.add(where + ": no file " + relative(file));
                } else if (anchor != null && file.toString().endsWith(".md")
                        && !anchors.computeIfAbsent(file, DocsTest::headingAnchors).contains(anchor)) {
                    broken.add(where + ": " + relative(file) + " has no heading with the anchor #" + anchor);
                }
            }
        }
        assertEquals(List.of(), broken);
        assertTrue(checked > 50, "only " + checked + " links found: is the link pattern still right?");
    }

    @Test
    void noMarkdownFileRefersToTheSpec() {
        List<String> found = new ArrayList<>();
        for (Path file : markdownFiles()) {
            String[] lines = Repo.read(file).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = SPEC.matcher(lines[i]);
                if (m.find()) found.add(relative(file) + ":" + (i + 1) + ": \"" + m.group() + "\" in: " + lines[i].strip());
            }
        }
        assertEquals(List.of(), found, "name the behaviour or the product documentation instead");
    }

    @Test
    void headingAnchorsFollowGitHub() {
        assertEquals(Set.of("rows-topic-to-a-sql-table-the-progress-table", "kwsync_offsets-and-window-jobs",
                        "ingest-service-in-job-mode", "notes", "notes-1"),
                headingAnchors("# Rows topic to a SQL table: the progress table\n## `kwsync_offsets` and [window jobs](x.md)\n"
                        + "### ingest-service in job mode ##\n## Notes\n## Notes\n```\n# not a heading\n```\n"));
    }

    /** README.md and every Markdown page under docs/. */
    static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(Repo.ROOT.resolve("README.md"));
        try (Stream<Path> files = Files.walk(Repo.ROOT.resolve("docs"))) {
            files.filter(f -> f.toString().endsWith(".md")).sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pages;
    }

    /** Every Markdown file of the repository, outside build output and local state. */
    static List<Path> markdownFiles() {
        Set<String> skipped = Set.of("target", ".git", ".local", "node_modules");
        try (Stream<Path> files = Files.walk(Repo.ROOT)) {
            return files.filter(f -> f.toString().endsWith(".md") && Files.isRegularFile(f))
                    .filter(f -> {
                        for (Path part : Repo.ROOT.relativize(f)) if (skipped.contains(part.toString())) return false;
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as dashes, repeats numbered. */
    static Set<String> headingAnchors(Path file) {
        return headingAnchors(Repo.read(file));
    }

    static Set<String> headingAnchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = HEADING.matcher(FENCED.matcher(markdown).replaceAll(""));
        while (m.find()) {
            String text = m.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum);
            anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
        }
        return anchors;
    }

    private static String withoutCode(String markdown) {
        return INLINE_CODE.matcher(FENCED.matcher(markdown).replaceAll("")).replaceAll("");
    }

    private static String relative(Path file) {
        return Repo.ROOT.relativize(file).toString().replace('\\', '/');
    }
}
