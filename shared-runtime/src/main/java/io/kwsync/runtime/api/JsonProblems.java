package io.kwsync.runtime.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Says what is wrong with a JSON request body in the API's words: which field, what it must be, what was given. Jackson's
 * own messages name Java classes ({@code Unrecognized field "partiton" (class io.kwsync...)}), which mean nothing to
 * a caller and describe the code rather than the API, so they are never passed on as they are.
 */
public final class JsonProblems {

    private static final Pattern JAVA_TYPE = Pattern.compile("`([\\w.$\\[\\]<>, ]+)`");
    private static final Pattern CLASS_NOTE = Pattern.compile("\\s*\\(class [\\w.$]+\\)|\\s*\\(through reference chain: [^)]*\\)");

    private JsonProblems() {
    }

    /** A one-sentence reason, e.g. {@code unknown field "paramters" (known fields: parameters, scheduledTime)}. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream().map(String::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new)).stream().collect(Collectors.joining(", "));
            String at = parent(u.getPath());
            return "unknown field \"" + u.getPropertyName() + "\"" + (at.isEmpty() ? "" : " in \"" + at + "\"")
                    + (known.isEmpty() ? "" : " (known fields: " + known + ")");
        }
        if (e instanceof StrictJson.LoneSurrogate s) {
            String p = path(s.getPath());
            return (p.isEmpty() ? "the " : "field \"" + p + "\": the ") + s.getOriginalMessage();
        }
        if (e instanceof InvalidFormatException f) {
            return field(f.getPath()) + "must be " + kind(f.getTargetType()) + ", got " + given(f.getValue());
        }
        if (e instanceof MismatchedInputException m && m.getPath() != null && !m.getPath().isEmpty()) {
            return field(m.getPath()) + "must be " + kind(m.getTargetType()) + inputNote(m.getOriginalMessage());
        }
        if (e instanceof MismatchedInputException m && m.getOriginalMessage() != null
                && m.getOriginalMessage().startsWith("Trailing token")) {
            return "the body holds more than one JSON value: trailing content" + at(m.getLocation());
        }
        if (e instanceof MismatchedInputException m && m.getOriginalMessage() != null
                && m.getOriginalMessage().startsWith("No content")) {
            return "the body is empty: send a JSON object";
        }
        if (e instanceof MismatchedInputException m) {
            return "the body must be " + kind(m.getTargetType()) + inputNote(m.getOriginalMessage());
        }
        if (e instanceof InputCoercionException c) {
            return "a number is out of range" + at(c.getLocation()) + ": " + plain(c.getOriginalMessage());
        }
        if (e instanceof StreamConstraintsException c) {
            return "the body exceeds a JSON limit: " + plain(c.getOriginalMessage());
        }
        if (e instanceof JsonEOFException eof) {
            return "the body is not valid JSON: it ends too early" + at(eof.getLocation());
        }
        if (e instanceof JsonMappingException m && m.getCause() instanceof InputCoercionException c) {
            return field(m.getPath()) + "is out of range: " + plain(c.getOriginalMessage());
        }
        if (e instanceof JsonMappingException m) {
            return field(m.getPath()) + "cannot be read: " + plain(m.getOriginalMessage());
        }
        return "the body is not valid JSON" + at(e.getLocation()) + ": " + plain(e.getOriginalMessage());
    }

    /** The error code that goes with {@link #describe}: invalid_json for syntax, invalid_request for content. */
    public static String code(JsonProcessingException e) {
        return e instanceof JsonMappingException ? "invalid_request" : "invalid_json";
    }

    private static String field(List<JsonMappingException.Reference> path) {
        String p = path(path);
        return p.isEmpty() ? "the body " : "field \"" + p + "\" ";
    }

    /** {@code parameters.startTime}, {@code items[2].name}. */
    static String path(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        if (path == null) return "";
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String parent(List<JsonMappingException.Reference> path) {
        return path == null || path.size() < 2 ? "" : path(path.subList(0, path.size() - 1));
    }

    /** What a Java target type is, in JSON terms. */
    static String kind(Class<?> t) {
        if (t == null) return "a different JSON value";
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class || t == Short.class
                || t == short.class || t == BigInteger.class) {
            return "a whole number";
        }
        if (t == Double.class || t == double.class || t == Float.class || t == float.class || t == BigDecimal.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) return "true or false";
        if (t == String.class || t == Character.class || t == char.class || t.isEnum()) return "a string";
        if (Collection.class.isAssignableFrom(t) || t.isArray()) return "an array";
        if (JsonNode.class.isAssignableFrom(t)) return "a JSON value";
        if (Map.class.isAssignableFrom(t) || !t.getName().startsWith("java.")) return "an object";
        return "a different JSON value";
    }

    private static String given(Object value) {
        if (value instanceof String s) return "\"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
        return String.valueOf(value);
    }

    /** What Jackson says it found, e.g. " (got an object)", from its message's token name. */
    private static String inputNote(String message) {
        if (message == null) return "";
        if (message.contains("START_OBJECT")) return ", got an object";
        if (message.contains("START_ARRAY")) return ", got an array";
        if (message.contains("VALUE_STRING") || message.contains("from String")) return ", got a string";
        if (message.contains("VALUE_NUMBER") || message.contains("from Integer") || message.contains("from Floating")) {
            return ", got a number";
        }
        if (message.contains("VALUE_TRUE") || message.contains("VALUE_FALSE") || message.contains("from Boolean")) {
            return ", got true or false";
        }
        if (message.contains("VALUE_NULL") || message.contains("null")) return ", got null";
        return "";
    }

    private static String at(JsonLocation l) {
        return l == null || l.getLineNr() < 1 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    /** Jackson's text without Java type names (a safety net; the cases above never quote them). */
    static String plain(String message) {
        if (message == null) return "";
        String first = message.lines().findFirst().orElse("");
        first = CLASS_NOTE.matcher(first).replaceAll("");
        Matcher m = JAVA_TYPE.matcher(first);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String type = m.group(1);
            String simple = type.substring(type.lastIndexOf('.') + 1).replace('$', '.');
            m.appendReplacement(sb, Matcher.quoteReplacement(simple.toLowerCase(java.util.Locale.ROOT)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
