package io.kwsync.runtime.nativeimage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kwsync.runtime.kafka.Jaas;
import org.apache.kafka.common.security.authenticator.AbstractLogin;
import org.apache.kafka.common.security.authenticator.DefaultLogin;
import org.apache.kafka.common.security.authenticator.SaslClientCallbackHandler;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * shared-runtime's native-image reflection registrations (src/main/resources/META-INF/native-image/io.kwsync/
 * shared-runtime/reflect-config.json, which a native build of either service picks up from this jar): the JAAS login
 * modules our Kafka settings name as text, which JAAS loads by name, and the login and callback-handler classes the
 * Kafka client instantiates by reflection for SASL. The Quarkus Kafka extension registers these too; listing them
 * here keeps the native build independent of how the extension finds them.
 */
class KafkaNativeRegistrationsTest {

    @Test
    void everyLoginModuleWeNameAndEverySaslClassKafkaInstantiatesIsRegisteredAndExists() throws IOException {
        List<String> registered = new ArrayList<>();
        new ObjectMapper().readTree(Path.of("src/main/resources/META-INF/native-image/io.kwsync/shared-runtime/reflect-config.json").toFile())
                .forEach(e -> registered.add(e.path("name").asText()));
        for (String needed : List.of(Jaas.PLAIN_MODULE, Jaas.SCRAM_MODULE, Jaas.KERBEROS_MODULE, DefaultLogin.class.getName(),
                AbstractLogin.DefaultLoginCallbackHandler.class.getName(), SaslClientCallbackHandler.class.getName())) {
            assertTrue(registered.contains(needed), needed + " is not registered");
        }
        List<String> missing = new ArrayList<>();
        for (String name : registered) {
            try {
                Class.forName(name, false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                missing.add(name);
            }
        }
        assertEquals(List.of(), missing);
    }
}
