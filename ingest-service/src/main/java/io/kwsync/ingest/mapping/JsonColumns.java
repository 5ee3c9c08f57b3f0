package io.kwsync.ingest.mapping;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.JsonText;
import io.kwsync.model.LoneSurrogates;
import io.kwsync.model.RowColumns;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.Map;

/**
 * Turns a JSON object message into columns: each top-level key becomes a column of the same name (the AnalyticDB
 * connector's rule). One streaming pass, no tree: strings stay strings, integers become {@link Long} (or
 * {@link BigDecimal} beyond 64 bits), fractions become {@link BigDecimal} so no digit is lost, nested objects and
 * arrays become {@link JsonText}.
 *
 * <p>Anything else is dirty: bytes that are not UTF-8 text ({@link Utf8Text}), malformed or truncated JSON, a top-level value that is not an
 * object, duplicate keys, trailing content, nesting deeper than {@link #MAX_DEPTH}, and a key or string whose escapes
 * spell a lone UTF-16 surrogate ({@code "x\ud800y"}), which no destination can store and UTF-8 cannot carry
 * ({@link LoneSurrogates}): refused here, with where it is, rather than altered later.
 */
public final class JsonColumns {

    public static final int MAX_DEPTH = 500;

    /** The parser/generator settings every JSON reader of the project shares (depth and size limits). */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(64 * 1024 * 1024)
                    .build())
            .build();

    private JsonColumns() {
    }

    public static Map<String, Object> parseObject(byte[] json) {
        if (json == null) throw nullValue();
        int scanned = Utf8Text.scan(json);
        if (scanned >= 0) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE,
                    "value is not UTF-8 text (binary data is not supported): " + Utf8Text.problem(json, scanned));
        }
        // valid UTF-8 decodes without lone surrogates: only an escape can spell one, and escapes need a backslash
        boolean escapes = scanned == Utf8Text.TEXT_WITH_BACKSLASH;
        return read(json, p -> readObject(p, escapes));
    }

    /** The same for a value already decoded to text (a source encoding other than UTF-8). */
    public static Map<String, Object> parseObjectText(String json) {
        if (json == null) throw nullValue();
        return read(json, p -> readObject(p, true));
    }

    /** Reads something from a parser positioned before the first token. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(JsonParser parser) throws IOException;
    }

    /** Runs {@code reader} over JSON bytes; unreadable JSON is a dirty record (stage DECODE). */
    public static <T> T read(byte[] json, Reader<T> reader) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return reader.read(p);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    /** Runs {@code reader} over JSON text; unreadable JSON is a dirty record (stage DECODE). */
    public static <T> T read(String json, Reader<T> reader) {
        try (JsonParser p = FACTORY.createParser(json)) {
            return reader.read(p);
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private static DirtyRecordException notJson(IOException e) {
        return new DirtyRecordException(DirtyRecordException.Stage.DECODE,
                e instanceof JsonProcessingException ? "value is not valid JSON" : "value could not be read as JSON", e);
    }

    private static DirtyRecordException nullValue() {
        return new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is null, expected a JSON object");
    }

    /**
     * @param surrogates whether keys and strings may hold a lone surrogate (false only for UTF-8 checked by
     *                   {@link Utf8Text#scan} without a backslash)
     */
    private static Map<String, Object> readObject(JsonParser p, boolean surrogates) throws IOException {
        JsonToken first = p.nextToken();
        if (first == null) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is empty, expected a JSON object");
        }
        if (first != JsonToken.START_OBJECT) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "value is not a JSON object");
        }
        // straight into the row's arrays; keys are Jackson's canonical instances, which the duplicate check compares by identity first
        RowColumns columns = new RowColumns(16);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (surrogates) checked(name, p, "key");
            p.nextToken();
            Object value = p.currentToken() == JsonToken.VALUE_STRING && !surrogates ? p.getText() : scalarOrText(p);
            if (!columns.add(name, value)) {
                throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "duplicate JSON key \"" + name + "\"");
            }
        }
        if (p.nextToken() != null) {
            throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "trailing content after the JSON object");
        }
        return surrogates ? columns.build() : columns.buildSurrogateFree();
    }

    /** Reads the value at the parser's current token: a scalar as its Java value, a structure as its JSON text. */
    public static Object scalarOrText(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        return switch (t) {
            case VALUE_STRING -> checked(p.getText(), p, "string");
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? new BigDecimal(p.getBigIntegerValue()) : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            case START_OBJECT, START_ARRAY -> {
                String where = p.getParsingContext().pathAsPointer().toString();
                String json = copyStructure(p);
                String problem = LoneSurrogates.problem(json);
                if (problem != null) throw surrogate("JSON at " + where(where), problem);
                yield new JsonText(json);
            }
            default -> throw new DirtyRecordException(DirtyRecordException.Stage.DECODE, "unexpected JSON token " + t);
        };
    }

    /** {@code text} (a key or a string) unless it holds a lone surrogate. */
    public static String checked(String text, JsonParser p, String what) {
        String problem = LoneSurrogates.problem(text);
        if (problem == null) return text;
        String where = p.getParsingContext().pathAsPointer().toString();
        throw surrogate(what.equals("key") ? "JSON key \"" + LoneSurrogates.escaped(text) + "\" at " + where(where)
                : "JSON string at " + where(where), problem);
    }

    private static String where(String pointer) {
        return pointer.isEmpty() ? "the top level" : pointer;
    }

    private static DirtyRecordException surrogate(String what, String problem) {
        return new DirtyRecordException(DirtyRecordException.Stage.DECODE, what + " holds " + problem);
    }

    private static String copyStructure(JsonParser p) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.copyCurrentStructure(p);
        }
        return w.toString();
    }
}
