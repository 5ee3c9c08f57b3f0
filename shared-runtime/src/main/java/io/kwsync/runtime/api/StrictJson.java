package io.kwsync.runtime.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.kwsync.model.LoneSurrogates;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * How both services read API request bodies: strictly. A field the request does not know is an error (a misspelt
 * {@code "paramters"} must not silently run the default), a body must hold one JSON value, and text (values and object keys) must be text UTF-8 can carry: a lone UTF-16 surrogate is refused, never
 * turned into {@code ?} on its way to Kafka or a database.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        SimpleModule module = new SimpleModule("kwsync-strict-text");
        module.addDeserializer(String.class, new Text());
        module.addKeyDeserializer(String.class, new Key());
        mapper.registerModule(module);
    }

    /** Strings as Jackson reads them, then checked. */
    static final class Text extends StdScalarDeserializer<String> {
        Text() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return checked(StringDeserializer.instance.deserialize(p, ctxt), p);
        }
    }

    /** Object keys of maps, checked the same way. */
    static final class Key extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            return checked(key, ctxt.getParser());
        }
    }

    static String checked(String text, JsonParser p) throws InvalidFormatException {
        String problem = text == null ? null : LoneSurrogates.problem(text);
        if (problem == null) return text;
        throw new LoneSurrogate(p, "text holds " + problem, text);
    }

    /** A string that holds a lone surrogate; {@link JsonProblems} describes it. */
    static final class LoneSurrogate extends InvalidFormatException {
        LoneSurrogate(JsonParser p, String message, String value) {
            super(p, message, LoneSurrogates.escaped(value), String.class);
        }
    }
}
