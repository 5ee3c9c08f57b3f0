package io.kwsync.ingest.format;

import io.kwsync.ingest.mapping.JsonPath;
import io.kwsync.model.DirtyRecordException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the values of JSON paths ({@code a.b}, {@code c[1]}, {@code ["a.b"]}) from a decoded value tree, with the
 * results the JSON path reader gives for the equivalent JSON document: a scalar as its value, a record, map or array
 * as {@link io.kwsync.model.JsonText} (see {@link Trees#column}), a path that leads nowhere as null. As there, a
 * dotted path that finds nothing where a map has a key containing those dots (the path {@code a.b} against the map
 * key {@code "a.b"}) makes the record dirty with the quoted path that reaches it. Built once per mapping.
 */
public final class TreePaths {

    private final List<JsonPath> paths;

    public TreePaths(List<JsonPath> paths) {
        this.paths = List.copyOf(paths);
    }

    /** The values of the paths, in order. */
    public Object[] extract(Object root) {
        Object[] out = new Object[paths.size()];
        for (int i = 0; i < out.length; i++) out[i] = Trees.column(find(root, paths.get(i)));
        return out;
    }

    private static Object find(Object root, JsonPath path) {
        List<JsonPath.Segment> segments = path.segments();
        Object at = root;
        for (int i = 0; i < segments.size(); i++) {
            JsonPath.Segment s = segments.get(i);
            if (s instanceof JsonPath.Key k) {
                if (!(at instanceof Map<?, ?> m)) return null;
                Object next = m.get(k.name());
                if (next == null && !m.containsKey(k.name())) {
                    checkDotted(m, path, i);
                    return null;
                }
                at = next;
            } else {
                int index = ((JsonPath.Index) s).index();
                if (!(at instanceof List<?> l) || index >= l.size()) return null;
                at = l.get(index);
            }
        }
        return at;
    }

    /** The path has no key {@code segments[from]}; is there a key that joins it with the next keys by dots? */
    private static void checkDotted(Map<?, ?> m, JsonPath path, int from) {
        List<JsonPath.Segment> seg = path.segments();
        StringBuilder key = new StringBuilder(((JsonPath.Key) seg.get(from)).name());
        for (int to = from + 1; to < seg.size() && seg.get(to) instanceof JsonPath.Key next; to++) {
            key.append('.').append(next.name());
            if (m.containsKey(key.toString())) {
                List<JsonPath.Segment> quoted = new ArrayList<>(seg.subList(0, from));
                quoted.add(new JsonPath.Key(key.toString()));
                quoted.addAll(seg.subList(to + 1, seg.size()));
                String where = from == 0 ? "at the top level" : "in " + path.text(from);
                throw new DirtyRecordException(DirtyRecordException.Stage.MAP, "JSON path " + path + " found no value,"
                        + " but the record has a key named \"" + key + "\" " + where
                        + "; a key that contains '.' is written in brackets: " + new JsonPath(quoted));
            }
        }
    }
}
