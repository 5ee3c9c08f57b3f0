package io.kwsync.ingest.mapping;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the column-mapping text: entries {@code source => column}, separated by commas or new lines.
 *
 * <pre>
 * mapping  = entry { ("," | newline) entry }         blank lines and one trailing comma are allowed
 * entry    = source [ "=>" column ]                 without "=>" a built-in or a one-key path keeps its own name
 * source   = builtin | constant | path
 * builtin  = __key__ | __value__ | __partition__ | __headers__ | __offset__ | __timestamp__
 * constant = "'" { any character but "'" | "''" } "'"
 * path     = first { "." key | "[" index "]" | "[" quoted "]" }
 * first    = key | "[" index "]" | "[" quoted "]"
 * key      = one or more characters other than white space and . [ ] , ' " =   (not starting with __)
 * quoted   = a JSON string literal, e.g. "a.b" or "say \"hi\""
 * column   = key | quoted
 * </pre>
 *
 * Errors name the character position (1-based) and what was expected there.
 */
public final class MappingSyntax {

    private static final String DELIMITERS = ".[],'\"=";

    private final String s;
    private int pos;

    private MappingSyntax(String s) {
        this.s = s;
    }

    public static List<MappingEntry> parse(String text) {
        return new MappingSyntax(text).entries();
    }

    static boolean isNameChar(char c) {
        return !Character.isWhitespace(c) && DELIMITERS.indexOf(c) < 0;
    }

    /** Whether {@code name} can be written without brackets and quotes. */
    static boolean isBareName(String name) {
        if (name.isEmpty() || name.startsWith("__")) return false;
        for (int i = 0; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) return false;
        }
        return true;
    }

    /** A JSON string literal of {@code name}. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    private List<MappingEntry> entries() {
        List<MappingEntry> out = new ArrayList<>();
        skipBlankLines();
        if (peek() == ',') throw error(pos, "expected a source field before ','");
        while (pos < s.length()) {
            int start = pos;
            SourceField source = source();
            int sourceEnd = pos;
            skipSpaces();
            String column;
            if (s.startsWith("=>", pos)) {
                pos += 2;
                skipSpaces();
                column = column();
            } else if (peek() == '=') {
                throw error(pos, "expected '=>' between the source field and the column name");
            } else {
                column = defaultColumn(source, start, sourceEnd);
            }
            int end = pos;
            out.add(new MappingEntry(source, column, start, s.substring(start, end)));
            separator(start, end);
        }
        if (out.isEmpty()) throw error(0, "names no columns");
        return out;
    }

    private void separator(int entryStart, int entryEnd) {
        skipSpaces();
        boolean separated = false;
        if (peek() == '\n') {
            separated = true;
            skipBlankLines();
        }
        if (peek() == ',') {
            separated = true;
            pos++;
            skipBlankLines();
            if (peek() == ',') throw error(pos, "empty entry between two commas");
        }
        if (pos < s.length() && !separated) {
            throw error(pos, "expected '=>', ',' or a new line after \"" + s.substring(entryStart, entryEnd).trim()
                    + "\", found " + describe(s.charAt(pos)));
        }
    }

    private SourceField source() {
        int start = pos;
        char c = peek();
        if (c == '\'') return new SourceField.Constant(constant());
        if (s.startsWith("__", pos)) {
            String name = bareName();
            BuiltinField f = BuiltinField.of(name);
            if (f == null) {
                throw error(start, "unknown built-in field " + name + "; the built-in fields are " + builtins()
                        + " (a JSON key starting with __ is written in brackets: [" + quote(name) + "])");
            }
            if (peek() == '.' || peek() == '[') {
                throw error(pos, name + " has no sub-fields (a JSON key of that name is written [" + quote(name) + "])");
            }
            return new SourceField.Builtin(f);
        }
        if (c == '"') throw error(pos, "a quoted JSON key goes in brackets: [\"...\"]");
        if (!isNameChar(c) && c != '[') throw error(pos, "expected a source field, found " + describe(c));
        return new SourceField.Path(path());
    }

    private JsonPath path() {
        List<JsonPath.Segment> segments = new ArrayList<>();
        segments.add(peek() == '[' ? bracket() : new JsonPath.Key(bareName()));
        while (true) {
            char c = peek();
            if (c == '.') {
                pos++;
                String name = bareName();
                if (name.isEmpty()) {
                    throw error(pos, "expected a key after '.'" + (peek() == '[' ? " (write a[\"b\"] or a[0], without the dot)" : ""));
                }
                segments.add(new JsonPath.Key(name));
            } else if (c == '[') {
                segments.add(bracket());
            } else {
                return new JsonPath(segments);
            }
        }
    }

    private JsonPath.Segment bracket() {
        int open = pos++;
        char c = peek();
        JsonPath.Segment segment;
        if (c >= '0' && c <= '9') {
            int start = pos;
            while (peek() >= '0' && peek() <= '9') pos++;
            try {
                segment = new JsonPath.Index(Integer.parseInt(s.substring(start, pos)));
            } catch (NumberFormatException e) {
                throw error(start, "array index " + s.substring(start, pos) + " is too large (at most " + Integer.MAX_VALUE + ")");
            }
        } else if (c == '-') {
            throw error(pos, "array indexes count from 0; negative indexes are not supported");
        } else if (c == '"') {
            segment = new JsonPath.Key(quoted());
        } else {
            throw error(pos, "expected an array index or a quoted key after '[', found " + describe(c));
        }
        if (peek() != ']') {
            throw error(pos, "expected ']' to close the '[' at character " + (open + 1) + ", found " + describe(peek()));
        }
        pos++;
        return segment;
    }

    private String column() {
        int start = pos;
        String name = peek() == '"' ? quoted() : bareName();
        if (name.isEmpty()) {
            throw error(start, pos < s.length() && peek() != ',' && peek() != '\n'
                    ? "a column name cannot start with " + describe(peek()) + " unless it is quoted: \"...\""
                    : "expected a column name after '=>'");
        }
        return name;
    }

    private String defaultColumn(SourceField source, int start, int end) {
        if (source instanceof SourceField.Builtin b) return b.field().text();
        if (source instanceof SourceField.Path p && p.path().segments().size() == 1
                && p.path().segments().get(0) instanceof JsonPath.Key k) {
            return k.name();
        }
        String text = s.substring(start, end);
        throw error(start, text + " needs a destination column: " + text + " => column_name");
    }

    private String constant() {
        int open = pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '\'') {
                if (peek() != '\'') return sb.toString();
                pos++;
            } else if (c == '\n') {
                break;
            }
            sb.append(c);
        }
        throw error(open, "unterminated constant: it needs a closing ' on the same line (write '' for a ' inside)");
    }

    private String quoted() {
        int open = pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') return sb.toString();
            if (c == '\n') break;
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (pos >= s.length()) break;
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) throw error(pos - 2, "\\u needs four hex digits");
                    try {
                        sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error(pos - 2, "\\u needs four hex digits");
                    }
                    pos += 4;
                }
                default -> throw error(pos - 2, "unknown escape \\" + e + " in a quoted name");
            }
        }
        throw error(open, "unterminated quoted name: it needs a closing \" on the same line");
    }

    private String bareName() {
        int start = pos;
        while (pos < s.length() && isNameChar(s.charAt(pos))) pos++;
        return s.substring(start, pos);
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpaces() {
        while (pos < s.length() && s.charAt(pos) != '\n' && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private void skipBlankLines() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private static String builtins() {
        StringBuilder sb = new StringBuilder();
        for (BuiltinField f : BuiltinField.values()) sb.append(sb.isEmpty() ? "" : ", ").append(f.text());
        return sb.toString();
    }

    private String describe(char c) {
        if (pos >= s.length()) return "the end";
        return c == '\n' ? "a new line" : "'" + c + "'";
    }

    private InvalidMappingException error(int at, String message) {
        StringBuilder sb = new StringBuilder("at character ").append(at + 1);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        if (s.indexOf('\n') >= 0) sb.append(" (line ").append(line).append(", column ").append(at - lineStart + 1).append(')');
        if (at > lineStart) {
            int from = Math.max(lineStart, at - 24);
            sb.append(", after \"").append(from > lineStart ? "..." : "").append(s, from, Math.min(at, s.length())).append('"');
        }
        return new InvalidMappingException(sb.append(": ").append(message).toString());
    }
}
