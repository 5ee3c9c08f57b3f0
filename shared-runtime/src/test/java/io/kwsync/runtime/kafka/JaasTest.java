package io.kwsync.runtime.kafka;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JaasTest {

    @Test
    void fileBodies() {
        assertEquals("M required a=\"1\";", Jaas.fromFile("KafkaClient {\nM required a=\"1\";\n};\n"));
        assertEquals("M required a=\"1\";", Jaas.fromFile("  KafkaClient{M required a=\"1\";} ;"));
        assertEquals("M required a=\"1\";", Jaas.fromFile("M required a=\"1\";\n"), "a bare login module line is kept");
        assertTrue(Jaas.isForeignJaasFile("KafkaServer {\nM required;\n};"));
        assertTrue(Jaas.isForeignJaasFile("KafkaClient {\nM required;\n};\nOther {\nM required;\n};"));
        assertFalse(Jaas.isForeignJaasFile("KafkaClient {\nM required;\n};"));
        assertFalse(Jaas.isForeignJaasFile("M required a=\"1\";"));
    }

    @Test
    void composedModulesSurviveKafkasParser() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("username", "a b");
        options.put("password", "\\\"';{}=\n\t");
        String line = Jaas.loginModule(Jaas.PLAIN_MODULE, options);
        assertEquals(options, Jaas.parse(line).orElseThrow().getOptions());
    }

    @Test
    void invalidTextIsEmpty() {
        assertTrue(Jaas.parse("not a module").isEmpty());
        assertTrue(Jaas.parse(Jaas.PLAIN_MODULE + " required a=\"1\"").isEmpty(), "the final semicolon is required");
        assertTrue(Jaas.parse(Jaas.PLAIN_MODULE + " required; " + Jaas.SCRAM_MODULE + " required;").isEmpty(), "one module only");
    }
}
