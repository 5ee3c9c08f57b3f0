package io.kwsync.runtime.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** KafkaSecurityConfig over a map of kwsync.kafka.* properties, converted as SmallRye Config converts them. */
record MapSecurityConfig(Map<String, String> p) implements KafkaSecurityConfig {

    static MapSecurityConfig of(String... keyValues) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put("kwsync.kafka." + keyValues[i], keyValues[i + 1]);
        return new MapSecurityConfig(m);
    }

    private Optional<String> s(String key) {
        return Optional.ofNullable(p.get("kwsync.kafka." + key));
    }

    private <E extends Enum<E>> Optional<E> e(String key, Class<E> type) {
        return s(key).map(v -> Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_')));
    }

    @Override
    public Optional<SecurityProtocol> securityProtocol() {
        return e("security-protocol", SecurityProtocol.class);
    }

    @Override
    public Sasl sasl() {
        return new Sasl() {
            public Optional<SaslMechanism> mechanism() { return e("sasl.mechanism", SaslMechanism.class); }
            public Optional<String> username() { return s("sasl.username"); }
            public Optional<String> password() { return s("sasl.password"); }
            public Optional<String> passwordFile() { return s("sasl.password-file"); }
            public Optional<String> jaasConfig() { return s("sasl.jaas-config"); }
            public Optional<String> jaasConfigFile() { return s("sasl.jaas-config-file"); }
        };
    }

    @Override
    public Ssl ssl() {
        return new Ssl() {
            public Optional<String> truststoreLocation() { return s("ssl.truststore-location"); }
            public Optional<String> truststorePassword() { return s("ssl.truststore-password"); }
            public Optional<String> truststorePasswordFile() { return s("ssl.truststore-password-file"); }
            public Optional<StoreType> truststoreType() { return e("ssl.truststore-type", StoreType.class); }
            public Optional<String> keystoreLocation() { return s("ssl.keystore-location"); }
            public Optional<String> keystorePassword() { return s("ssl.keystore-password"); }
            public Optional<String> keystorePasswordFile() { return s("ssl.keystore-password-file"); }
            public Optional<StoreType> keystoreType() { return e("ssl.keystore-type", StoreType.class); }
            public Optional<String> keyPassword() { return s("ssl.key-password"); }
            public Optional<String> keyPasswordFile() { return s("ssl.key-password-file"); }
            public Optional<Boolean> hostnameVerification() { return s("ssl.hostname-verification").map(Boolean::parseBoolean); }
        };
    }

    @Override
    public Kerberos kerberos() {
        return new Kerberos() {
            public Optional<String> serviceName() { return s("kerberos.service-name"); }
            public Optional<String> krb5Conf() { return s("kerberos.krb5-conf"); }
            public Optional<String> keytab() { return s("kerberos.keytab"); }
            public Optional<String> principal() { return s("kerberos.principal"); }
        };
    }
}
