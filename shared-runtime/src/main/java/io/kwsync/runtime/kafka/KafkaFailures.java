package io.kwsync.runtime.kafka;

import io.kwsync.runtime.config.InvalidConfigurationException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import java.util.List;
import java.util.Optional;

/**
 * Explains a Kafka failure that no retry can fix (the brokers refused this client's TLS handshake, credentials or
 * rights) as a configuration problem naming the variables to look at. Kafka's messages carry no secrets.
 */
public final class KafkaFailures {

    private KafkaFailures() {
    }

    public static Optional<InvalidConfigurationException> securityProblem(Throwable failure, Object servers) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String problem = null;
            if (t instanceof SslAuthenticationException) {
                problem = "the TLS handshake with Kafka at " + servers + " failed: " + t.getMessage() + rootCause(t)
                        + ". Check KWSYNC_KAFKA_SSL_TRUSTSTORE_LOCATION (it must hold the CA of the brokers' certificates),"
                        + " KWSYNC_KAFKA_SSL_KEYSTORE_LOCATION (brokers that require client certificates) and"
                        + " KWSYNC_KAFKA_SSL_HOSTNAME_VERIFICATION";
            } else if (t instanceof SaslAuthenticationException) {
                problem = "Kafka at " + servers + " refused the SASL login: " + t.getMessage() + ". Check"
                        + " KWSYNC_KAFKA_SASL_MECHANISM, KWSYNC_KAFKA_SASL_USERNAME and KWSYNC_KAFKA_SASL_PASSWORD(_FILE)"
                        + " or KWSYNC_KAFKA_SASL_JAAS_CONFIG(_FILE)";
            } else if (t instanceof AuthenticationException) {
                problem = "Kafka at " + servers + " refused to authenticate this client: " + t.getMessage() + rootCause(t)
                        + ". Check KWSYNC_KAFKA_SECURITY_PROTOCOL and the KWSYNC_KAFKA_SASL_* / KWSYNC_KAFKA_KERBEROS_* settings";
            } else if (t instanceof AuthorizationException) {
                problem = "Kafka at " + servers + " denied an operation: " + t.getMessage() + ". The principal of this"
                        + " service needs DESCRIBE (and CREATE when KWSYNC_KAFKA_CREATE_TOPICS is true) on its topics,"
                        + " READ on the topics and consumer group it consumes and WRITE on the topics it produces to";
            }
            if (problem != null) return Optional.of(new InvalidConfigurationException(List.of(problem)));
        }
        return Optional.empty();
    }

    /** A client could not even be built: with GSSAPI, usually the Kerberos login (keytab, principal, KDC). */
    public static InvalidConfigurationException clientNotCreated(Throwable failure, Object servers) {
        return new InvalidConfigurationException(List.of("cannot create a Kafka client for " + servers + ": "
                + failure.getMessage() + rootCause(failure) + ". Check KWSYNC_KAFKA_SECURITY_PROTOCOL and KWSYNC_KAFKA_SASL_*;"
                + " with GSSAPI the Kerberos login failed: check KWSYNC_KAFKA_KERBEROS_KEYTAB, KWSYNC_KAFKA_KERBEROS_PRINCIPAL"
                + " (or the JAAS file) and the KDC named by KWSYNC_KAFKA_KERBEROS_KRB5_CONF"));
    }

    /** " (what the deepest cause says)", its class name when it has no message (e.g. PortUnreachableException). */
    private static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root == t) return "";
        String what = root.getMessage() != null ? root.getMessage() : root.getClass().getName();
        return t.getMessage() != null && t.getMessage().contains(what) ? "" : " (" + what + ")";
    }
}
