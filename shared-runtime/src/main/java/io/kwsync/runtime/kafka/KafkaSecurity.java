package io.kwsync.runtime.kafka;

import io.kwsync.runtime.config.SecretFiles;
import io.kwsync.runtime.kafka.KafkaSecurityConfig.SaslMechanism;
import io.kwsync.runtime.kafka.KafkaSecurityConfig.SecurityProtocol;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns the KWSYNC_KAFKA_* security settings into the Kafka client properties every client of a service uses
 * (channels, admin client, test-message producer). Passwords are read from their files here, once, at start.
 * Call {@link KafkaSecurityCheck} first: this class assumes a valid combination.
 */
public final class KafkaSecurity {

    /** Configuration keys, as written in error messages (each is also the variable KWSYNC_...). */
    static final String PROTOCOL = "kwsync.kafka.security-protocol";
    static final String MECHANISM = "kwsync.kafka.sasl.mechanism";
    static final String USERNAME = "kwsync.kafka.sasl.username";
    static final String PASSWORD = "kwsync.kafka.sasl.password";
    static final String PASSWORD_FILE = "kwsync.kafka.sasl.password-file";
    static final String JAAS = "kwsync.kafka.sasl.jaas-config";
    static final String JAAS_FILE = "kwsync.kafka.sasl.jaas-config-file";
    static final String TRUSTSTORE = "kwsync.kafka.ssl.truststore-location";
    static final String TRUSTSTORE_PASSWORD = "kwsync.kafka.ssl.truststore-password";
    static final String TRUSTSTORE_PASSWORD_FILE = "kwsync.kafka.ssl.truststore-password-file";
    static final String TRUSTSTORE_TYPE = "kwsync.kafka.ssl.truststore-type";
    static final String KEYSTORE = "kwsync.kafka.ssl.keystore-location";
    static final String KEYSTORE_PASSWORD = "kwsync.kafka.ssl.keystore-password";
    static final String KEYSTORE_PASSWORD_FILE = "kwsync.kafka.ssl.keystore-password-file";
    static final String KEYSTORE_TYPE = "kwsync.kafka.ssl.keystore-type";
    static final String KEY_PASSWORD = "kwsync.kafka.ssl.key-password";
    static final String KEY_PASSWORD_FILE = "kwsync.kafka.ssl.key-password-file";
    static final String HOSTNAME_VERIFICATION = "kwsync.kafka.ssl.hostname-verification";
    static final String SERVICE_NAME = "kwsync.kafka.kerberos.service-name";
    static final String KRB5_CONF = "kwsync.kafka.kerberos.krb5-conf";
    static final String KEYTAB = "kwsync.kafka.kerberos.keytab";
    static final String PRINCIPAL = "kwsync.kafka.kerberos.principal";

    static final String DEFAULT_SERVICE_NAME = "kafka";

    private KafkaSecurity() {
    }

    /**
     * The settings every Kafka client of a service uses: {@code base} (bootstrap servers and any raw kafka.*
     * properties) with the security settings on top; sets the JVM-wide Kerberos properties and reports warnings.
     */
    public static Map<String, Object> apply(Map<String, Object> base, KafkaSecurityConfig c, Consumer<String> warn) {
        Map<String, Object> all = new HashMap<>(base);
        systemProperties(c).forEach(System::setProperty);
        warnings(c).forEach(warn);
        all.putAll(clientProperties(c));
        return all;
    }

    public static SecurityProtocol protocol(KafkaSecurityConfig c) {
        return c.securityProtocol().orElse(SecurityProtocol.PLAINTEXT);
    }

    /** security.protocol, sasl.* and ssl.* for a Kafka client. */
    public static Map<String, Object> clientProperties(KafkaSecurityConfig c) {
        Map<String, Object> p = new LinkedHashMap<>();
        SecurityProtocol protocol = protocol(c);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name());
        if (protocol.sasl()) {
            SaslMechanism mechanism = c.sasl().mechanism().orElseThrow();
            p.put(SaslConfigs.SASL_MECHANISM, mechanism.kafkaName());
            String jaas = jaasConfig(c);
            p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas);
            if (mechanism == SaslMechanism.GSSAPI) {
                boolean jaasNamesService = Jaas.parse(jaas).flatMap(e -> Jaas.option(e, "serviceName")).isPresent();
                if (c.kerberos().serviceName().isPresent() || !jaasNamesService) {
                    p.put(SaslConfigs.SASL_KERBEROS_SERVICE_NAME, c.kerberos().serviceName().orElse(DEFAULT_SERVICE_NAME));
                }
            }
        }
        if (protocol.tls()) {
            KafkaSecurityConfig.Ssl ssl = c.ssl();
            ssl.truststoreLocation().ifPresent(l -> {
                p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, l);
                ssl.truststoreType().ifPresent(t -> p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, t.name()));
                SecretFiles.firstLine(ssl.truststorePassword(), ssl.truststorePasswordFile(), TRUSTSTORE_PASSWORD_FILE)
                        .ifPresent(pw -> p.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, pw));
            });
            ssl.keystoreLocation().ifPresent(l -> {
                p.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, l);
                ssl.keystoreType().ifPresent(t -> p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, t.name()));
                SecretFiles.firstLine(ssl.keystorePassword(), ssl.keystorePasswordFile(), KEYSTORE_PASSWORD_FILE)
                        .ifPresent(pw -> p.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, pw));
                SecretFiles.firstLine(ssl.keyPassword(), ssl.keyPasswordFile(), KEY_PASSWORD_FILE)
                        .ifPresent(pw -> p.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, pw));
            });
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, ssl.hostnameVerification().orElse(true) ? "https" : "");
        }
        return p;
    }

    /** JVM-wide settings Kerberos needs (it reads krb5.conf from a system property, not from client settings). */
    public static Map<String, String> systemProperties(KafkaSecurityConfig c) {
        if (protocol(c).sasl() && c.sasl().mechanism().orElse(null) == SaslMechanism.GSSAPI) {
            return c.kerberos().krb5Conf().map(f -> Map.of("java.security.krb5.conf", f)).orElse(Map.of());
        }
        return Map.of();
    }

    /** Valid but risky choices, for a warning in the log. */
    public static List<String> warnings(KafkaSecurityConfig c) {
        List<String> w = new ArrayList<>();
        SecurityProtocol protocol = protocol(c);
        Optional<SaslMechanism> mechanism = c.sasl().mechanism();
        if (protocol == SecurityProtocol.SASL_PLAINTEXT && mechanism.orElse(null) == SaslMechanism.PLAIN) {
            w.add("KWSYNC_KAFKA_SECURITY_PROTOCOL is SASL_PLAINTEXT with SASL mechanism PLAIN: the password crosses the"
                    + " network unencrypted; use SASL_SSL outside a trusted network");
        }
        if (protocol.tls() && !c.ssl().hostnameVerification().orElse(true)) {
            w.add("KWSYNC_KAFKA_SSL_HOSTNAME_VERIFICATION is false: any certificate the truststore trusts is accepted for"
                    + " any broker host");
        }
        return w;
    }

    /** The login module line: from the JAAS setting or file, else composed from user name/password or keytab/principal. */
    static String jaasConfig(KafkaSecurityConfig c) {
        KafkaSecurityConfig.Sasl sasl = c.sasl();
        if (sasl.jaasConfigFile().isPresent()) return Jaas.fromFile(SecretFiles.read(sasl.jaasConfigFile().get(), JAAS_FILE));
        if (sasl.jaasConfig().isPresent()) return sasl.jaasConfig().get().trim();
        SaslMechanism mechanism = sasl.mechanism().orElseThrow();
        if (mechanism == SaslMechanism.GSSAPI) {
            Map<String, String> options = new LinkedHashMap<>();
            options.put("useKeyTab", "true");
            options.put("storeKey", "true");
            options.put("keyTab", c.kerberos().keytab().orElseThrow());
            options.put("principal", c.kerberos().principal().orElseThrow());
            return Jaas.loginModule(Jaas.KERBEROS_MODULE, options);
        }
        String password = SecretFiles.firstLine(sasl.password(), sasl.passwordFile(), PASSWORD_FILE).orElseThrow();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("username", sasl.username().orElseThrow());
        options.put("password", password);
        return Jaas.loginModule(loginModuleOf(mechanism), options);
    }

    static String loginModuleOf(SaslMechanism mechanism) {
        return switch (mechanism) {
            case PLAIN -> Jaas.PLAIN_MODULE;
            case SCRAM_SHA_256, SCRAM_SHA_512 -> Jaas.SCRAM_MODULE;
            case GSSAPI -> Jaas.KERBEROS_MODULE;
        };
    }

    /** The keytab a GSSAPI JAAS configuration names, if any. */
    static Optional<String> keytabOf(AppConfigurationEntry entry) {
        return Jaas.option(entry, "keyTab");
    }
}
