package io.kwsync.ingest.route;

import io.kwsync.ingest.partition.PartitionField;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A destination-table template: text with fields in {@code ${...}} that a record fills in. Fields: {@code topic},
 * {@code key} (the key as UTF-8 text), {@code header.NAME} (the last header of that name, as UTF-8 text) and {@code
 * value.PATH} (a string, number or boolean at a dotted path of a JSON object value). Each field may end in transforms
 * applied in order: {@code |lower}, {@code |upper}, {@code |safe} (every character a table name cannot hold becomes
 * {@code _}). Example: {@code ods_${topic|lower|safe}}. Pure and immutable.
 */
public final class TableTemplate {

    /** Raised for a text that is not a template. */
    public static final class InvalidTemplateException extends IllegalArgumentException {
        InvalidTemplateException(String message) {
            super(message);
        }
    }

    private enum Kind { TEXT, TOPIC, KEY, HEADER, VALUE }

    private enum Transform { LOWER, UPPER, SAFE }

    private record Part(Kind kind, String text, List<String> path, List<Transform> transforms) {
    }

    private final String source;
    private final List<Part> parts;
    private final int dots;

    private TableTemplate(String source, List<Part> parts) {
        this.source = source;
        this.parts = List.copyOf(parts);
        this.dots = (int) parts.stream().filter(p -> p.kind == Kind.TEXT).flatMapToInt(p -> p.text.chars()).filter(c -> c == '.').count();
    }

    /** Whether a configured table is a template rather than one fixed name. */
    public static boolean isTemplate(String text) {
        return text.contains("${");
    }

    /** @throws InvalidTemplateException saying what is wrong and where */
    public static TableTemplate parse(String text) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int open = text.indexOf("${", i);
            if (open < 0) {
                parts.add(new Part(Kind.TEXT, text.substring(i), null, List.of()));
                break;
            }
            if (open > i) parts.add(new Part(Kind.TEXT, text.substring(i, open), null, List.of()));
            int close = text.indexOf('}', open);
            if (close < 0) throw new InvalidTemplateException("\"${\" at position " + open + " is not closed by \"}\"");
            parts.add(field(text.substring(open + 2, close).strip()));
            i = close + 1;
        }
        if (parts.stream().noneMatch(p -> p.kind != Kind.TEXT)) throw new InvalidTemplateException("has no ${...} field");
        return new TableTemplate(text, parts);
    }

    private static Part field(String body) {
        String[] pieces = body.split("\\|", -1);
        String name = pieces[0].strip();
        List<Transform> transforms = new ArrayList<>();
        for (int k = 1; k < pieces.length; k++) {
            String t = pieces[k].strip().toUpperCase(Locale.ROOT);
            try {
                transforms.add(Transform.valueOf(t));
            } catch (IllegalArgumentException e) {
                throw new InvalidTemplateException("unknown transform \"" + pieces[k].strip() + "\" in ${" + body
                        + "}: use lower, upper or safe");
            }
        }
        if (name.equals("topic")) return new Part(Kind.TOPIC, null, null, transforms);
        if (name.equals("key")) return new Part(Kind.KEY, null, null, transforms);
        if (name.startsWith("header.") && name.length() > 7) return new Part(Kind.HEADER, name.substring(7), null, transforms);
        if (name.startsWith("value.") && name.length() > 6) {
            List<String> path = Arrays.asList(name.substring(6).split("\\.", -1));
            if (path.stream().anyMatch(String::isEmpty)) throw new InvalidTemplateException("empty step in ${" + body + "}");
            return new Part(Kind.VALUE, null, path, transforms);
        }
        throw new InvalidTemplateException("unknown field ${" + body + "}: use topic, key, header.NAME or value.PATH");
    }

    /** The dots of the template's own text: a routed name must have exactly these. */
    public int dots() {
        return dots;
    }

    /**
     * The text for one record.
     *
     * @throws Unresolved naming the field the record does not have
     */
    public String render(Origin origin, byte[] value) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            String v = switch (p.kind) {
                case TEXT -> p.text;
                case TOPIC -> origin.topic();
                case KEY -> origin.key() == null ? null : new String(origin.key(), StandardCharsets.UTF_8);
                case HEADER -> header(origin, p.text);
                case VALUE -> scalar(PartitionField.json(value, p.path));
            };
            if (v == null) throw new Unresolved(describe(p));
            for (Transform t : p.transforms) v = apply(t, v);
            sb.append(v);
        }
        return sb.toString();
    }

    /** What a table name can be made of: a JSON string, number or boolean, as its text; null for anything else. */
    private static String scalar(PartitionField.Read read) {
        return switch (read.found()) {
            case TEXT, NUMBER, BOOLEAN -> read.text();
            case MISSING, NULL, STRUCTURE -> null;
        };
    }

    private static String header(Origin origin, String name) {
        String found = null;
        for (Header h : origin.headers()) {
            if (h.name().equals(name)) found = h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
        return found;
    }

    private static String apply(Transform t, String v) {
        return switch (t) {
            case LOWER -> v.toLowerCase(Locale.ROOT);
            case UPPER -> v.toUpperCase(Locale.ROOT);
            case SAFE -> v.replaceAll("[^A-Za-z0-9_]", "_");
        };
    }

    private static String describe(Part p) {
        return switch (p.kind) {
            case KEY -> "the record has no key for ${key}";
            case HEADER -> "the record has no header " + p.text + " for ${header." + p.text + "}";
            case VALUE -> "the value has no string, number or boolean at " + String.join(".", p.path)
                    + " for ${value." + String.join(".", p.path) + "}";
            default -> "cannot be resolved";
        };
    }

    /** A record lacks what a field of the template needs. */
    public static final class Unresolved extends RuntimeException {
        Unresolved(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
