package io.kwsync.ingest.route;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Chooses each record's destination table: the template's text for the record, looked up in the table map when
 * there is one, then checked ({@link TableNames}, the allow-list). A record it cannot route is dirty: it goes to the
 * error topic with the reason, and the connector goes on. The checks run on every name, so a producer that invents
 * table names reaches no table outside the allow-list, however many names it invents. Pure and thread-safe.
 */
public final class TableRouter {

    /** The map entry that catches every value without an entry of its own. */
    public static final String ANY = "*";

    private final TableTemplate template;
    private final Map<String, String> map;
    private final Pattern allow;
    private final int maxLength;

    /**
     * @param map       value -> table, empty for none (the template's text is the table)
     * @param allow     the pattern every table must match in full, or null
     * @param maxLength KWSYNC_DESTINATION_TABLE_MAX_LENGTH
     */
    public TableRouter(TableTemplate template, Map<String, String> map, Pattern allow, int maxLength) {
        this.template = template;
        this.map = Map.copyOf(map);
        this.allow = allow;
        this.maxLength = maxLength;
    }

    /**
     * The table of one record.
     *
     * @throws DirtyRecordException (stage MAP) with a reason starting "routing:"
     */
    public String table(Origin origin, byte[] value) {
        String text;
        try {
            text = template.render(origin, value);
        } catch (TableTemplate.Unresolved e) {
            throw dirty("template " + template + ": " + e.getMessage());
        }
        String table = text;
        if (!map.isEmpty()) {
            table = map.getOrDefault(text, map.get(ANY));
            if (table == null) throw dirty("no entry for \"" + shorten(text) + "\" in KWSYNC_DESTINATION_TABLE_MAP");
            return table; // map targets were checked at start
        }
        String problem = problem(table, maxLength, template.dots(), allow);
        if (problem != null) throw dirty("table name \"" + shorten(table) + "\" from template " + template + " " + problem);
        return table;
    }

    /** Null when {@code table} may be written, otherwise why not (also used at start for the map's tables). */
    public static String problem(String table, int maxLength, int dots, Pattern allow) {
        String problem = TableNames.problem(table, maxLength, dots);
        if (problem != null) return problem;
        if (allow != null && !allow.matcher(table).matches()) return "is not allowed by KWSYNC_DESTINATION_TABLE_ALLOW";
        return null;
    }

    /** Parses "value => table" entries separated by commas or new lines; throws for a malformed entry. */
    public static Map<String, String> parseMap(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : text.split("[,\\n]")) {
            if (entry.isBlank()) continue;
            int arrow = entry.indexOf("=>");
            if (arrow < 0) throw new IllegalArgumentException("entry \"" + entry.strip() + "\" is not value => table");
            String from = entry.substring(0, arrow).strip();
            String to = entry.substring(arrow + 2).strip();
            if (from.isEmpty() || to.isEmpty()) throw new IllegalArgumentException("entry \"" + entry.strip() + "\" has an empty side");
            if (map.put(from, to) != null) throw new IllegalArgumentException("value \"" + from + "\" has two entries");
        }
        if (map.isEmpty()) throw new IllegalArgumentException("has no entries");
        return map;
    }

    private static DirtyRecordException dirty(String reason) {
        return new DirtyRecordException(DirtyRecordException.Stage.MAP, "routing: " + reason);
    }

    /** Long names are cut in the reason: a 10,000-character name must not make a 10,000-character header. */
    private static String shorten(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "... (" + s.length() + " characters)";
    }
}
