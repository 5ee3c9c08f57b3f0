package io.kwsync.ingest.mapping;

import io.kwsync.model.Origin;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A validated column mapping, ready to turn records into columns: built-in fields, constants and JSON paths into
 * the value, each written to its own destination column, in the order given.
 *
 * <p>Rules, checked when it is built: each destination column is named once (case-insensitively, as databases
 * compare column names), each source field is read once (constants may repeat), and JSON paths need a value type
 * that is text (STRING or BYTEARRAY). At run time only what is mapped is read: an unmapped key is never decoded,
 * the value is parsed at most once for all paths, and unmapped JSON members are skipped unread. A null value (a
 * tombstone) gives NULL for every path; an empty one is not JSON and makes the record dirty.
 */
public final class ColumnMapping {

    private enum Kind { KEY, VALUE, PARTITION, HEADERS, OFFSET, TIMESTAMP, CONSTANT, PATH }

    private record Slot(String column, Kind kind, String constant, int path) {
    }

    private final List<MappingEntry> entries;
    private final KafkaType keyType;
    private final KafkaType valueType;
    private final Charset charset;
    private final Slot[] slots;
    private final JsonPathExtractor paths;
    private final boolean readKey;
    private final boolean readValue;
    private final boolean pathsFromText;

    private ColumnMapping(List<MappingEntry> entries, KafkaType keyType, KafkaType valueType, Charset charset) {
        this.entries = List.copyOf(entries);
        this.keyType = keyType;
        this.valueType = valueType;
        this.charset = charset;
        this.slots = new Slot[entries.size()];
        List<JsonPath> jsonPaths = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            MappingEntry e = entries.get(i);
            if (e.source() instanceof SourceField.Constant c) {
                slots[i] = new Slot(e.column(), Kind.CONSTANT, c.value(), -1);
            } else if (e.source() instanceof SourceField.Path p) {
                jsonPaths.add(p.path());
                slots[i] = new Slot(e.column(), Kind.PATH, null, jsonPaths.size() - 1);
            } else {
                slots[i] = new Slot(e.column(), Kind.valueOf(((SourceField.Builtin) e.source()).field().name()), null, -1);
            }
        }
        this.paths = jsonPaths.isEmpty() ? null : new JsonPathExtractor(jsonPaths);
        this.readKey = has(Kind.KEY);
        this.readValue = has(Kind.VALUE);
        this.pathsFromText = valueType == KafkaType.STRING && !charset.equals(StandardCharsets.UTF_8);
    }

    private boolean has(Kind kind) {
        for (Slot s : slots) {
            if (s.kind() == kind) return true;
        }
        return false;
    }

    /** Parses and validates; {@link InvalidMappingException} lists every problem. */
    public static ColumnMapping parse(String text, KafkaType keyType, KafkaType valueType, Charset charset) {
        return of(MappingSyntax.parse(text), keyType, valueType, charset);
    }

    public static ColumnMapping of(List<MappingEntry> entries, KafkaType keyType, KafkaType valueType, Charset charset) {
        List<String> problems = new ArrayList<>();
        Map<String, Integer> columns = new HashMap<>();
        Map<String, Integer> sources = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            MappingEntry e = entries.get(i);
            Integer before = columns.putIfAbsent(e.column().toLowerCase(Locale.ROOT), i);
            if (before != null) {
                problems.add("column " + e.column() + " is mapped twice, by " + describe(entries, before) + " and by "
                        + describe(entries, i) + "; a destination column takes one source field");
            }
            if (!(e.source() instanceof SourceField.Constant)) {
                before = sources.putIfAbsent(e.source().text(), i);
                if (before != null) {
                    problems.add("source field " + e.source().text() + " is mapped twice, by " + describe(entries, before)
                            + " and by " + describe(entries, i) + "; a source field goes to one destination column");
                }
            }
            if (e.source() instanceof SourceField.Path && !valueType.isText()) {
                problems.add(describe(entries, i) + " reads a JSON path, which needs the value type STRING or BYTEARRAY,"
                        + " not " + valueType);
            }
        }
        if (!problems.isEmpty()) throw new InvalidMappingException(problems);
        return new ColumnMapping(entries, keyType, valueType, charset);
    }

    private static String describe(List<MappingEntry> entries, int i) {
        return "entry " + (i + 1) + " (" + entries.get(i).text().trim() + ")";
    }

    public List<MappingEntry> entries() {
        return entries;
    }

    /**
     * The columns of one record, in mapping order, every mapped column present (NULL where there is no value).
     *
     * @throws io.kwsync.model.DirtyRecordException when the key or value cannot be decoded as configured
     */
    public Map<String, Object> apply(Origin origin, byte[] value) {
        Object key = key(origin);
        Object decoded = readValue ? valueType.decode(value, charset, "value") : null;
        Object[] found = null;
        if (paths != null && value != null) {
            if (!pathsFromText) {
                found = paths.extract(value);
            } else {
                found = paths.extract(decoded instanceof String s ? s : StrictText.decode(value, charset, "value"));
            }
        }
        return assemble(origin, key, decoded, found);
    }

    /** The key as {@code __key__} reads it (by KWSYNC_SOURCE_KEY_TYPE), or null when the mapping does not read it. */
    public Object key(Origin origin) {
        return readKey ? keyType.decode(origin.key(), charset, "key") : null;
    }

    /** The JSON paths the mapping reads, in the order {@link #assemble} takes their values. */
    public List<JsonPath> paths() {
        List<JsonPath> out = new ArrayList<>();
        for (MappingEntry e : entries) {
            if (e.source() instanceof SourceField.Path p) out.add(p.path());
        }
        return out;
    }

    /**
     * The columns of one record from values already read: for records of a schema-registry format, whose value is
     * decoded before the mapping sees it.
     *
     * @param key   the {@code __key__} column
     * @param value the {@code __value__} column
     * @param found the values of {@link #paths()}, in order; null when the value is null
     */
    public Map<String, Object> assemble(Origin origin, Object key, Object value, Object[] found) {
        Map<String, Object> out = new LinkedHashMap<>((int) (slots.length / 0.75f) + 1);
        for (Slot s : slots) {
            out.put(s.column(), switch (s.kind()) {
                case KEY -> key;
                case VALUE -> value;
                case PARTITION -> (long) origin.partition();
                case HEADERS -> HeadersJson.of(origin.headers());
                case OFFSET -> origin.offset();
                case TIMESTAMP -> origin.timestamp() < 0 ? null : origin.timestamp();
                case CONSTANT -> s.constant();
                case PATH -> found == null ? null : found[s.path()];
            });
        }
        return out;
    }
}
