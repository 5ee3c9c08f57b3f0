package io.kwsync.runtime.kafka;

import java.util.Optional;

/**
 * How a service encrypts its Kafka connections and authenticates to the brokers: DataWorks' Kafka data source's SSL, PLAIN and GSSAPI
 * (Kerberos) options, plus SCRAM. Each key {@code kwsync.kafka.a.b-c} is set by {@code KWSYNC_KAFKA_A_B_C}.
 * <p>
 * A plain interface so that shared-model stays free of Quarkus: the services' {@code @ConfigMapping} Kafka groups
 * extend it, tests implement it. Every key is optional; {@link KafkaSecurity} applies the defaults written here and
 * {@link KafkaSecurityCheck} validates the combination at start. Secrets come from mounted files ({@code *_FILE})
 * or variables, never from the image.
 */
public interface KafkaSecurityConfig {

    /** PLAINTEXT (default), SSL, SASL_PLAINTEXT or SASL_SSL: Kafka's security.protocol of every client. */
    Optional<SecurityProtocol> securityProtocol();

    /** SASL authentication (protocols SASL_PLAINTEXT and SASL_SSL). */
    Sasl sasl();

    /** TLS (protocols SSL and SASL_SSL). */
    Ssl ssl();

    /** Kerberos (SASL mechanism GSSAPI). */
    Kerberos kerberos();

    interface Sasl {
        /** PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or GSSAPI. Required with a SASL protocol. */
        Optional<SaslMechanism> mechanism();

        /** User name for PLAIN and SCRAM. */
        Optional<String> username();

        /** Password for PLAIN and SCRAM. Prefer KWSYNC_KAFKA_SASL_PASSWORD_FILE with a mounted Secret. */
        Optional<String> password();

        /** File holding the PLAIN/SCRAM password (first line); wins over KWSYNC_KAFKA_SASL_PASSWORD. */
        Optional<String> passwordFile();

        /**
         * A complete JAAS login module line (Kafka's sasl.jaas.config), instead of user name and password, e.g.
         * {@code org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";}.
         */
        Optional<String> jaasConfig();

        /**
         * File holding the JAAS configuration: a login module line, or a JAAS file with a {@code KafkaClient { ... };}
         * section as DataWorks' Kafka data source describes. Wins over KWSYNC_KAFKA_SASL_JAAS_CONFIG.
         */
        Optional<String> jaasConfigFile();
    }

    interface Ssl {
        /** Truststore with the CA certificates of the brokers. Default: the JVM's trusted CAs. */
        Optional<String> truststoreLocation();

        /** Truststore password (JKS, PKCS12). */
        Optional<String> truststorePassword();

        /** File holding the truststore password (first line); wins over KWSYNC_KAFKA_SSL_TRUSTSTORE_PASSWORD. */
        Optional<String> truststorePasswordFile();

        /** JKS (default; on Java 17 it also reads PKCS12 files), PKCS12 or PEM. */
        Optional<StoreType> truststoreType();

        /** Keystore with this client's certificate and key, only for mutual TLS (brokers with ssl.client.auth=required). */
        Optional<String> keystoreLocation();

        /** Keystore password (JKS, PKCS12). */
        Optional<String> keystorePassword();

        /** File holding the keystore password (first line); wins over KWSYNC_KAFKA_SSL_KEYSTORE_PASSWORD. */
        Optional<String> keystorePasswordFile();

        /** JKS (default), PKCS12 or PEM (private key and certificate chain in one file). */
        Optional<StoreType> keystoreType();

        /** Password of the private key when it differs from the keystore password (or encrypts a PEM key). */
        Optional<String> keyPassword();

        /** File holding the private key password (first line); wins over KWSYNC_KAFKA_SSL_KEY_PASSWORD. */
        Optional<String> keyPasswordFile();

        /** Check that the broker certificate names the host connected to (default true). */
        Optional<Boolean> hostnameVerification();
    }

    interface Kerberos {
        /** Kerberos principal name of the brokers (the brokers' sasl.kerberos.service.name). Default: kafka. */
        Optional<String> serviceName();

        /** Path of the krb5.conf naming the realm and its KDCs. Required for GSSAPI. */
        Optional<String> krb5Conf();

        /** Keytab file of this client's principal; with KWSYNC_KAFKA_KERBEROS_PRINCIPAL it replaces a JAAS file. */
        Optional<String> keytab();

        /** This client's principal, e.g. kwsync@EXAMPLE.COM, whose key the keytab holds. */
        Optional<String> principal();
    }

    enum SecurityProtocol {
        PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL;

        public boolean sasl() {
            return this == SASL_PLAINTEXT || this == SASL_SSL;
        }

        public boolean tls() {
            return this == SSL || this == SASL_SSL;
        }
    }

    enum SaslMechanism {
        PLAIN("PLAIN"), SCRAM_SHA_256("SCRAM-SHA-256"), SCRAM_SHA_512("SCRAM-SHA-512"), GSSAPI("GSSAPI");

        private final String kafkaName;

        SaslMechanism(String kafkaName) {
            this.kafkaName = kafkaName;
        }

        /** The name Kafka's sasl.mechanism uses. */
        public String kafkaName() {
            return kafkaName;
        }
    }

    enum StoreType {
        JKS, PKCS12, PEM
    }
}
