package io.kwsync.ingest.mapping;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.kwsync.model.DirtyRecordException;
import io.kwsync.ingest.mapping.JsonColumns;
import io.kwsync.model.JsonText;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the values of several JSON paths in one streaming pass over a document. The paths form a tree; the parser
 * descends only into members and elements on some path and skips everything else unread (skipping is iterative, so
 * depth costs no stack; the parser's nesting limit still applies). The whole document is read, so truncated or
 * trailing content is always noticed.
 *
 * <p>Results: a scalar as its Java value (see {@link JsonColumns#scalarOrText}), an object or array as
 * {@link JsonText}, a path that leads nowhere as null. Two exceptions make the record dirty instead: a key on a
 * path that occurs twice in its object, and a dotted path that found nothing where the object has a key containing
 * those dots (the path {@code a.b} against {@code {"a.b": 1}}), reported with the quoted path that reaches it.
 */
final class JsonPathExtractor {

    private static final Object MISSING = new Object();

    private final List<JsonPath> paths;
    private final Node root = new Node(0, List.of());
    private int nodeCount = 1;

    JsonPathExtractor(List<JsonPath> paths) {
        this.paths = List.copyOf(paths);
        for (int c = 0; c < this.paths.size(); c++) add(c, this.paths.get(c));
        root.seal();
    }

    /** The values of the paths, in order, from JSON bytes (UTF-8, or UTF-16/32 detected by Jackson). */
    Object[] extract(byte[] json) {
        return JsonColumns.read(json, this::walk);
    }

    /** The same from JSON already decoded to text. */
    Object[] extract(String json) {
        return JsonColumns.read(json, this::walk);
    }

    private static final class Node {
        final int id;
        /** The path segments that lead here. */
        final List<JsonPath.Segment> prefix;
        int column = -1;
        Map<String, Node> keys;
        TreeMap<Integer, Node> indexBuilder;
        int[] indexes;
        Node[] indexNodes;
        /** Keys containing '.' that a dotted path from here would have meant literally. */
        Map<String, List<Shadow>> dotted;

        Node(int id, List<JsonPath.Segment> prefix) {
            this.id = id;
            this.prefix = prefix;
        }

        boolean hasChildren() {
            return keys != null || indexes != null;
        }

        void seal() {
            if (indexBuilder != null) {
                indexes = indexBuilder.keySet().stream().mapToInt(Integer::intValue).toArray();
                indexNodes = indexBuilder.values().toArray(new Node[0]);
                indexBuilder = null;
            }
            if (keys != null) keys.values().forEach(Node::seal);
            if (indexNodes != null) Arrays.stream(indexNodes).forEach(Node::seal);
        }
    }

    /** Column {@code column}'s path, segments {@code from..to} inclusive, joined by dots, is a key of this object. */
    private record Shadow(int column, int from, int to) {
    }

    private void add(int column, JsonPath path) {
        List<JsonPath.Segment> segments = path.segments();
        Node node = root;
        List<Node> parents = new ArrayList<>(segments.size());
        for (int i = 0; i < segments.size(); i++) {
            parents.add(node);
            Node parent = node;
            List<JsonPath.Segment> prefix = segments.subList(0, i + 1);
            if (segments.get(i) instanceof JsonPath.Key k) {
                if (parent.keys == null) parent.keys = new HashMap<>();
                node = parent.keys.computeIfAbsent(k.name(), n -> new Node(nodeCount++, prefix));
            } else {
                if (parent.indexBuilder == null) parent.indexBuilder = new TreeMap<>();
                node = parent.indexBuilder.computeIfAbsent(((JsonPath.Index) segments.get(i)).index(),
                        x -> new Node(nodeCount++, prefix));
            }
        }
        if (node.column >= 0) throw new IllegalArgumentException("path " + path + " given twice");
        node.column = column;
        for (int from = 0; from < segments.size(); from++) {
            if (!(segments.get(from) instanceof JsonPath.Key first)) continue;
            StringBuilder key = new StringBuilder(first.name());
            for (int to = from + 1; to < segments.size() && segments.get(to) instanceof JsonPath.Key next; to++) {
                key.append('.').append(next.name());
                Node at = parents.get(from);
                if (at.dotted == null) at.dotted = new HashMap<>();
                at.dotted.computeIfAbsent(key.toString(), x -> new ArrayList<>()).add(new Shadow(column, from, to));
            }
        }
    }

    /** State of one document's walk. */
    private final class Walk {
        final Object[] values = new Object[paths.size()];
        final boolean[] seen = new boolean[nodeCount];
        Shadow[] shadows;

        Walk() {
            Arrays.fill(values, MISSING);
        }
    }

    private Object[] walk(JsonParser p) throws IOException {
        Walk w = new Walk();
        if (p.nextToken() == null) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is empty, expected JSON");
        }
        visit(p, root, w);
        if (p.nextToken() != null) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "trailing content after the JSON value");
        }
        for (int c = 0; c < w.values.length; c++) {
            if (w.values[c] != MISSING) continue;
            if (w.shadows != null && w.shadows[c] != null) throw shadowed(w.shadows[c]);
            w.values[c] = null;
        }
        return w.values;
    }

    private void visit(JsonParser p, Node node, Walk w) throws IOException {
        if (node.column < 0) {
            members(p, node, w);
            return;
        }
        Object value = JsonColumns.scalarOrText(p);
        w.values[node.column] = value;
        if (node.hasChildren() && value instanceof JsonText text) {
            // rare: a structure selected whole and also below; read its copy again for the deeper paths
            JsonColumns.read(text.json(), sub -> {
                sub.nextToken();
                members(sub, node, w);
                return null;
            });
        }
    }

    private void members(JsonParser p, Node node, Walk w) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT && node.keys != null) {
            while (next(p) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                next(p);
                if (node.dotted != null) noteDotted(node, name, w);
                Node child = node.keys.get(name);
                if (child == null) {
                    p.skipChildren();
                } else if (w.seen[child.id]) {
                    throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "duplicate JSON key \"" + name + "\""
                            + (node == root ? "" : " in " + pathTo(node, name)));
                } else {
                    w.seen[child.id] = true;
                    visit(p, child, w);
                }
            }
        } else if (t == JsonToken.START_ARRAY && node.indexes != null) {
            int k = 0;
            for (int i = 0; next(p) != JsonToken.END_ARRAY; i++) {
                if (k < node.indexes.length && node.indexes[k] == i) visit(p, node.indexNodes[k++], w);
                else p.skipChildren();
            }
        } else {
            p.skipChildren(); // a scalar, or a structure of another kind: the paths below lead nowhere
        }
    }

    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is truncated JSON");
        return t;
    }

    private void noteDotted(Node node, String name, Walk w) {
        List<Shadow> shadows = node.dotted.get(name);
        if (shadows == null) return;
        if (w.shadows == null) w.shadows = new Shadow[paths.size()];
        for (Shadow s : shadows) w.shadows[s.column()] = s;
    }

    private static String pathTo(Node node, String key) {
        List<JsonPath.Segment> s = new ArrayList<>(node.prefix);
        s.add(new JsonPath.Key(key));
        return new JsonPath(s).toString();
    }

    private DirtyRecordException shadowed(Shadow s) {
        JsonPath path = paths.get(s.column());
        List<JsonPath.Segment> seg = path.segments();
        StringBuilder key = new StringBuilder();
        for (int i = s.from(); i <= s.to(); i++) key.append(i == s.from() ? "" : ".").append(((JsonPath.Key) seg.get(i)).name());
        List<JsonPath.Segment> quoted = new ArrayList<>(seg.subList(0, s.from()));
        quoted.add(new JsonPath.Key(key.toString()));
        quoted.addAll(seg.subList(s.to() + 1, seg.size()));
        String where = s.from() == 0 ? "at the top level" : "in " + path.text(s.from());
        return new DirtyRecordException(DirtyRecordException.Stage.MAP, "JSON path " + path + " found no value, but the JSON has"
                + " a key named \"" + key + "\" " + where + "; a key that contains '.' is written in brackets: "
                + new JsonPath(quoted));
    }
}
