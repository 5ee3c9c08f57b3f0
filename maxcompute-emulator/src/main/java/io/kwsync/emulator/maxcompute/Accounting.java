package io.kwsync.emulator.maxcompute;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The per-partition counters behind {@link PartitionCounters}. Guarded by the warehouse's lock. */
final class Accounting {

    private static final class Tally {
        int uploadSessions, upsertSessions, streamSessions, commits, files, blocks;
        long uploadedBytes, committedBytes, committedRecords, uploadedRecords;
        final List<Instant> creations = new ArrayList<>();
    }

    /** "project.table" (lower case) -> partition spec -> tally, in first-use order. */
    private final Map<String, Map<String, Tally>> tallies = new LinkedHashMap<>();

    private Tally tally(EmulatedTable t, String spec) {
        return tallies.computeIfAbsent(key(t.project, t.name), k -> new LinkedHashMap<>()).computeIfAbsent(spec, s -> new Tally());
    }

    private static String key(String project, String table) {
        return project + "." + table.toLowerCase(Locale.ROOT);
    }

    /** The latest session creation for the partition, or null. */
    Instant lastCreation(EmulatedTable t, String spec) {
        List<Instant> c = tally(t, spec).creations;
        return c.isEmpty() ? null : c.get(c.size() - 1);
    }

    void sessionCreated(EmulatedTable t, String spec, SessionKind kind, Instant at) {
        Tally x = tally(t, spec);
        switch (kind) {
            case UPLOAD -> x.uploadSessions++;
            case UPSERT -> x.upsertSessions++;
            case STREAM -> x.streamSessions++;
        }
        x.creations.add(at);
    }

    void uploaded(EmulatedTable t, String spec, long bytes, long records) {
        Tally x = tally(t, spec);
        x.blocks++;
        x.uploadedBytes += bytes;
        x.uploadedRecords += records;
    }

    void committed(EmulatedTable t, String spec, int files, long bytes, long records) {
        Tally x = tally(t, spec);
        x.commits++;
        x.files += files;
        x.committedBytes += bytes;
        x.committedRecords += records;
    }

    /** A streaming upload made visible at once: one file, no commit. */
    void flushed(EmulatedTable t, String spec, long bytes, long records) {
        Tally x = tally(t, spec);
        x.files++;
        x.committedBytes += bytes;
        x.committedRecords += records;
    }

    /** A dropped table's counters go with it, so a table created again under the name counts from zero. */
    void forget(String project, String table) {
        tallies.remove(key(project, table));
    }

    Map<String, PartitionCounters> of(String project, String table) {
        Map<String, PartitionCounters> out = new LinkedHashMap<>();
        tallies.getOrDefault(key(project, table), Map.of()).forEach((spec, x) -> out.put(spec, new PartitionCounters(spec,
                x.uploadSessions, x.upsertSessions, x.streamSessions, x.commits, x.files, x.blocks, x.uploadedBytes, x.committedBytes,
                x.committedRecords, x.creations, x.uploadedRecords)));
        return out;
    }
}
