package io.kwsync.runtime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a caller reads about a body Jackson cannot take, with the services' strict reading ({@link StrictJson}). */
class JsonProblemsTest {

    public record Request(Map<String, String> parameters, String scheduledTime, Integer partition, Boolean allowEmpty,
                          List<String> tags) {
    }

    static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        new StrictJson().customize(MAPPER);
    }

    static String problem(String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(json, Request.class));
        String message = JsonProblems.describe(e);
        assertFalse(message.contains("io.kwsync") || message.contains("java.") || message.contains("class "), message);
        return message;
    }

    @Test
    void unknownFieldsAreNamedWithTheKnownOnes() {
        assertEquals("unknown field \"paramters\" (known fields: allowEmpty, parameters, partition, scheduledTime, tags)",
                problem("{\"paramters\":{}}"));
    }

    @Test
    void wrongTypesNameTheFieldAndWhatItMustBe() {
        assertEquals("field \"partition\" must be a whole number, got \"abc\"", problem("{\"partition\":\"abc\"}"));
        assertEquals("field \"parameters\" must be an object, got an array", problem("{\"parameters\":[1]}"));
        assertEquals("field \"allowEmpty\" must be true or false, got \"yes\"", problem("{\"allowEmpty\":\"yes\"}"));
        assertTrue(problem("{\"parameters\":{\"a\":{\"b\":1}}}").startsWith("field \"parameters.a\" must be a string"));
        assertTrue(problem("{\"tags\":[\"a\",{}]}").startsWith("field \"tags[1]\" must be a string"));
        assertTrue(problem("[1]").startsWith("the body must be an object"), problem("[1]"));
    }

    @Test
    void malformedJsonSaysWhere() {
        assertTrue(problem("{\"parameters\":").startsWith("the body is not valid JSON: it ends too early"), problem("{\"parameters\":"));
        String broken = problem("{\"parameters\" {}}");
        assertTrue(broken.startsWith("the body is not valid JSON at line 1, column 15"), broken);
        assertTrue(problem("{} {}").contains("trailing"), problem("{} {}"));
        assertEquals("field \"partition\" is out of range: Numeric value (99999999999) out of range of int (-2147483648 -"
                + " 2147483647)", problem("{\"partition\":99999999999}"));
    }

    @Test
    void textWithALoneSurrogateIsRefusedWhereverItIs() {
        assertEquals("field \"scheduledTime\": the text holds a lone UTF-16 surrogate \\uD800 at character 2 (an escape"
                + " without its pair), which UTF-8 cannot encode", problem("{\"scheduledTime\":\"x\\ud800y\"}"));
        assertTrue(problem("{\"parameters\":{\"p\":\"\\udc00\"}}").startsWith("field \"parameters.p\": the text holds a lone"));
        assertTrue(problem("{\"parameters\":{\"k\\ud800\":\"v\"}}").contains("lone UTF-16 surrogate"));
        assertEquals("x😀", assertDoesNotThrow("{\"scheduledTime\":\"x\\ud83d\\ude00\"}").scheduledTime(), "a pair is fine");
    }

    static Request assertDoesNotThrow(String json) {
        try {
            return MAPPER.readValue(json, Request.class);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void javaTypeNamesAreTakenOutOfAnyOtherMessage() {
        assertEquals("cannot deserialize value of type integer from object", JsonProblems.plain(
                "cannot deserialize value of type `java.lang.Integer` from object (through reference chain: io.kwsync.X[\"a\"])"));
        assertEquals("Unrecognized field \"x\", not marked as ignorable",
                JsonProblems.plain("Unrecognized field \"x\" (class io.kwsync.ingest.api.TestMessageRequest), not marked as ignorable"));
    }
}
