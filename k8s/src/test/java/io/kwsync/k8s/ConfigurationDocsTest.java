package io.kwsync.k8s;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The configuration reference (docs/configuration.md) lists exactly the KWSYNC_* variables the services read. */
class ConfigurationDocsTest {

    static final Pattern ROW = Pattern.compile("(?m)^\\| `(KWSYNC_[A-Z0-9_]+)`");

    @Test
    void everyVariableIsDocumentedAndEveryDocumentedVariableExists() {
        Set<String> documented = new TreeSet<>();
        Matcher m = ROW.matcher(Repo.read(Repo.ROOT.resolve("docs/configuration.md")));
        while (m.find()) documented.add(m.group(1));
        ServiceSettings ingest = ServiceSettings.of("ingest-service");
        ServiceSettings sink = ServiceSettings.of("sink-service");
        Set<String> read = new TreeSet<>(ingest.variables());
        read.addAll(sink.variables());

        Set<String> undocumented = new TreeSet<>(read);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "read by a service but missing from the tables of docs/configuration.md");
        Set<String> stale = new TreeSet<>();
        for (String d : documented) if (!ingest.reads(d) && !sink.reads(d)) stale.add(d);
        assertEquals(Set.of(), stale, "in docs/configuration.md but read by neither service");
    }
}
