package io.kwsync.runtime.kafka;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaFailuresTest {

    static String problem(Throwable t) {
        return KafkaFailures.securityProblem(t, "b:9093").orElseThrow().getMessage();
    }

    @Test
    void securityFailuresNameTheVariablesToCheck() {
        String tls = problem(new KafkaException("wrapped", new SslAuthenticationException("SSL handshake failed",
                new SSLHandshakeException("PKIX path building failed"))));
        assertTrue(tls.contains("the TLS handshake with Kafka at b:9093 failed: SSL handshake failed (PKIX path building failed)"), tls);
        assertTrue(tls.contains("KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION"), tls);
        String sasl = problem(new SaslAuthenticationException("Authentication failed: Invalid username or password"));
        assertTrue(sasl.contains("refused the SASL login: Authentication failed") && sasl.contains("KWSYNC_KAFKA_SASL_USERNAME"), sasl);
        String acl = problem(new TopicAuthorizationException(Set.of("t")));
        assertTrue(acl.contains("denied an operation") && acl.contains("DESCRIBE"), acl);
    }

    @Test
    void otherFailuresAreNotSecurityProblems() {
        assertTrue(KafkaFailures.securityProblem(new TimeoutException("slow"), "b").isEmpty());
        assertTrue(KafkaFailures.securityProblem(null, "b").isEmpty());
    }
}
