package io.kwsync.runtime.kafka;

import io.kwsync.runtime.config.EnvVars;
import io.kwsync.runtime.config.InvalidConfigurationException.Collector;
import io.kwsync.runtime.config.SecretFiles;
import io.kwsync.runtime.kafka.KafkaSecurityConfig.SaslMechanism;
import io.kwsync.runtime.kafka.KafkaSecurityConfig.SecurityProtocol;
import io.kwsync.runtime.kafka.KafkaSecurityConfig.StoreType;

import javax.security.auth.login.AppConfigurationEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static io.kwsync.runtime.kafka.KafkaSecurity.*;

/**
 * Validates the KWSYNC_KAFKA_* security settings at start: settings that do not fit the protocol, missing
 * credentials, files that are absent, JAAS text Kafka would refuse, stores that the password does not open. Every
 * message names the variables involved and none contains a secret.
 */
public final class KafkaSecurityCheck {

    private KafkaSecurityCheck() {
    }

    public static void check(KafkaSecurityConfig c, Collector problems) {
        SecurityProtocol protocol = KafkaSecurity.protocol(c);
        if (protocol.sasl()) {
            checkSasl(c, problems);
        } else {
            saslSettings(c).forEach((property, set) -> problems.check(!set, property, "is set but " + EnvVars.of(PROTOCOL)
                    + " is " + protocol + ": SASL settings need SASL_PLAINTEXT or SASL_SSL"));
        }
        if (protocol.tls()) {
            checkSsl(c.ssl(), problems);
        } else {
            sslSettings(c.ssl()).forEach((property, set) -> problems.check(!set, property, "is set but " + EnvVars.of(PROTOCOL)
                    + " is " + protocol + ": TLS settings need SSL or SASL_SSL"));
        }
    }

    private static void checkSasl(KafkaSecurityConfig c, Collector problems) {
        KafkaSecurityConfig.Sasl sasl = c.sasl();
        if (sasl.mechanism().isEmpty()) {
            problems.problem(MECHANISM, "is required when " + EnvVars.of(PROTOCOL) + " is " + KafkaSecurity.protocol(c)
                    + ": PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or GSSAPI");
            return;
        }
        SaslMechanism mechanism = sasl.mechanism().get();
        boolean jaas = sasl.jaasConfig().isPresent() || sasl.jaasConfigFile().isPresent();
        boolean userPassword = sasl.username().isPresent() || sasl.password().isPresent() || sasl.passwordFile().isPresent();
        readable(sasl.passwordFile(), PASSWORD_FILE, problems);
        readable(sasl.jaasConfigFile(), JAAS_FILE, problems);
        if (mechanism == SaslMechanism.GSSAPI) {
            checkKerberos(c, jaas, problems);
            if (userPassword) {
                problems.problem(sasl.username().isPresent() ? USERNAME : PASSWORD, "is not used with GSSAPI: Kerberos"
                        + " authenticates with a keytab (" + EnvVars.of(KEYTAB) + " and " + EnvVars.of(PRINCIPAL)
                        + ", or a JAAS configuration)");
            }
        } else {
            kerberosSettings(c).forEach((property, set) -> problems.check(!set, property,
                    "is only used with " + EnvVars.of(MECHANISM) + " GSSAPI, not " + mechanism.kafkaName()));
            if (jaas && userPassword) {
                problems.problem(JAAS, "and " + EnvVars.of(USERNAME) + "/" + EnvVars.of(PASSWORD)
                        + " are both set: give either a JAAS configuration or a user name and password");
            } else if (!jaas) {
                problems.check(sasl.username().filter(u -> !u.isBlank()).isPresent(), USERNAME,
                        "is required with SASL mechanism " + mechanism.kafkaName() + " (or set " + EnvVars.of(JAAS_FILE) + ")");
                problems.check(sasl.password().isPresent() || sasl.passwordFile().isPresent(), PASSWORD,
                        "is required with SASL mechanism " + mechanism.kafkaName() + ": set it or " + EnvVars.of(PASSWORD_FILE));
            }
        }
        if (jaas) checkJaas(c, mechanism, problems);
    }

    private static void checkKerberos(KafkaSecurityConfig c, boolean jaas, Collector problems) {
        KafkaSecurityConfig.Kerberos k = c.kerberos();
        if (k.krb5Conf().isEmpty()) {
            problems.problem(KRB5_CONF, "is required with SASL mechanism GSSAPI: the path of the krb5.conf that names the"
                    + " realm and its KDCs");
        } else {
            readable(k.krb5Conf(), KRB5_CONF, problems);
        }
        boolean keytabLogin = k.keytab().isPresent() || k.principal().isPresent();
        if (jaas && keytabLogin) {
            problems.problem(KEYTAB, "and " + EnvVars.of(JAAS_FILE) + " are both set: give either a JAAS configuration or a"
                    + " keytab and principal");
        } else if (!jaas) {
            problems.check(k.keytab().isPresent(), KEYTAB, "is required with SASL mechanism GSSAPI (with "
                    + EnvVars.of(PRINCIPAL) + "), unless " + EnvVars.of(JAAS_FILE) + " holds a JAAS configuration");
            problems.check(k.principal().filter(p -> !p.isBlank()).isPresent(), PRINCIPAL, "is required with SASL mechanism"
                    + " GSSAPI (with " + EnvVars.of(KEYTAB) + "), unless " + EnvVars.of(JAAS_FILE) + " holds a JAAS configuration");
            if (readable(k.keytab(), KEYTAB, problems)) {
                problems.check(isKeytab(k.keytab().get()), KEYTAB, "is not a keytab file (check it with klist -ket)");
            }
        }
    }

    /** The JAAS text must parse as Kafka parses it, name the login module of the mechanism, and its keytab must exist. */
    private static void checkJaas(KafkaSecurityConfig c, SaslMechanism mechanism, Collector problems) {
        KafkaSecurityConfig.Sasl sasl = c.sasl();
        String property = sasl.jaasConfigFile().isPresent() ? JAAS_FILE : JAAS;
        String text;
        if (sasl.jaasConfigFile().isPresent()) {
            if (!SecretFiles.readable(sasl.jaasConfigFile().get())) return;
            String file = SecretFiles.read(sasl.jaasConfigFile().get(), JAAS_FILE);
            if (Jaas.isForeignJaasFile(file)) {
                problems.problem(property, "holds a JAAS file without a single 'KafkaClient { ... };' section");
                return;
            }
            text = Jaas.fromFile(file);
        } else {
            text = sasl.jaasConfig().get().trim();
        }
        Optional<AppConfigurationEntry> entry = Jaas.parse(text);
        if (entry.isEmpty()) {
            problems.problem(property, "is not a valid JAAS configuration: expected one login module, e.g."
                    + " '<LoginModule class> required key=\"value\" ...;' ending with a semicolon");
            return;
        }
        String expected = KafkaSecurity.loginModuleOf(mechanism);
        problems.check(entry.get().getLoginModuleName().equals(expected), property, "names login module "
                + entry.get().getLoginModuleName() + " but SASL mechanism " + mechanism.kafkaName() + " needs " + expected);
        if (mechanism == SaslMechanism.GSSAPI) {
            KafkaSecurity.keytabOf(entry.get()).ifPresent(keytab -> {
                if (!SecretFiles.readable(keytab)) {
                    problems.problem(property, "names keyTab " + keytab + ", which does not exist or cannot be read (mount the keytab there)");
                } else {
                    problems.check(isKeytab(keytab), property, "names keyTab " + keytab + ", which is not a keytab file (check it with klist -ket)");
                }
            });
        }
    }

    private static void checkSsl(KafkaSecurityConfig.Ssl ssl, Collector problems) {
        readable(ssl.truststorePasswordFile(), TRUSTSTORE_PASSWORD_FILE, problems);
        readable(ssl.keystorePasswordFile(), KEYSTORE_PASSWORD_FILE, problems);
        readable(ssl.keyPasswordFile(), KEY_PASSWORD_FILE, problems);
        StoreType trustType = ssl.truststoreType().orElse(StoreType.JKS);
        boolean trustPassword = ssl.truststorePassword().isPresent() || ssl.truststorePasswordFile().isPresent();
        if (ssl.truststoreLocation().isEmpty()) {
            problems.check(!trustPassword, TRUSTSTORE_PASSWORD, "is set without " + EnvVars.of(TRUSTSTORE));
            problems.check(ssl.truststoreType().isEmpty(), TRUSTSTORE_TYPE, "is set without " + EnvVars.of(TRUSTSTORE));
        } else if (readable(ssl.truststoreLocation(), TRUSTSTORE, problems)) {
            if (trustType == StoreType.PEM) {
                problems.check(!trustPassword, TRUSTSTORE_PASSWORD, "must not be set for a PEM truststore");
                problems.check(pemHolds(ssl.truststoreLocation().get(), "CERTIFICATE"), TRUSTSTORE,
                        "is of type PEM but holds no '-----BEGIN CERTIFICATE-----' block");
            } else if (fileOk(ssl.truststorePasswordFile())) {
                String pw = SecretFiles.firstLine(ssl.truststorePassword(), ssl.truststorePasswordFile(), TRUSTSTORE_PASSWORD_FILE).orElse(null);
                open(ssl.truststoreLocation().get(), trustType, pw, TRUSTSTORE, TRUSTSTORE_PASSWORD, problems)
                        .ifPresent(ks -> problems.check(size(ks) > 0, TRUSTSTORE, "holds no certificate"));
            }
        }
        StoreType keyType = ssl.keystoreType().orElse(StoreType.JKS);
        boolean keyStorePassword = ssl.keystorePassword().isPresent() || ssl.keystorePasswordFile().isPresent();
        boolean keyPassword = ssl.keyPassword().isPresent() || ssl.keyPasswordFile().isPresent();
        if (ssl.keystoreLocation().isEmpty()) {
            problems.check(!keyStorePassword, KEYSTORE_PASSWORD, "is set without " + EnvVars.of(KEYSTORE));
            problems.check(!keyPassword, KEY_PASSWORD, "is set without " + EnvVars.of(KEYSTORE));
            problems.check(ssl.keystoreType().isEmpty(), KEYSTORE_TYPE, "is set without " + EnvVars.of(KEYSTORE));
        } else if (readable(ssl.keystoreLocation(), KEYSTORE, problems)) {
            if (keyType == StoreType.PEM) {
                problems.check(!keyStorePassword, KEYSTORE_PASSWORD, "must not be set for a PEM keystore (an encrypted key"
                        + " takes " + EnvVars.of(KEY_PASSWORD) + ")");
                problems.check(pemHolds(ssl.keystoreLocation().get(), "PRIVATE KEY"), KEYSTORE,
                        "is of type PEM but holds no private key block");
            } else if (!keyStorePassword) {
                problems.problem(KEYSTORE_PASSWORD, "is required with " + EnvVars.of(KEYSTORE) + " (or set "
                        + EnvVars.of(KEYSTORE_PASSWORD_FILE) + ")");
            } else if (fileOk(ssl.keystorePasswordFile())) {
                String pw = SecretFiles.firstLine(ssl.keystorePassword(), ssl.keystorePasswordFile(), KEYSTORE_PASSWORD_FILE).orElseThrow();
                open(ssl.keystoreLocation().get(), keyType, pw, KEYSTORE, KEYSTORE_PASSWORD, problems);
            }
        }
    }

    /** Keytab files start with the format version 0x05 0x01 or 0x05 0x02. */
    private static boolean isKeytab(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == 5 && (head[1] == 1 || head[1] == 2);
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<KeyStore> open(String file, StoreType type, String password, String location, String passwordProperty,
                                           Collector problems) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            KeyStore ks = KeyStore.getInstance(type.name());
            ks.load(in, password == null ? null : password.toCharArray());
            return Optional.of(ks);
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password");
            problems.problem(wrongPassword ? passwordProperty : location, wrongPassword
                    ? "does not open " + file + " (wrong password; set it or " + EnvVars.of(passwordProperty + "-file") + ")"
                    : "cannot be read as a " + type + " store: " + e.getMessage() + " (set the _TYPE variable if it is another kind)");
        } catch (GeneralSecurityException e) {
            problems.problem(location, "cannot be read as a " + type + " store: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static int size(KeyStore ks) {
        try {
            return ks.size();
        } catch (GeneralSecurityException e) {
            return 0;
        }
    }

    private static boolean pemHolds(String file, String block) {
        try {
            String text = Files.readString(Path.of(file));
            return text.contains("-----BEGIN " + block + "-----") || text.matches("(?s).*-----BEGIN [A-Z ]*" + block + "-----.*");
        } catch (IOException e) {
            return false;
        }
    }

    /** An unset file is fine here; a set one that cannot be read is reported by {@link #readable}. */
    private static boolean fileOk(Optional<String> file) {
        return file.isEmpty() || SecretFiles.readable(file.get());
    }

    private static boolean readable(Optional<String> file, String property, Collector problems) {
        if (file.isEmpty()) return false;
        boolean ok = SecretFiles.readable(file.get());
        problems.check(ok, property, "names a file that does not exist or cannot be read: " + file.get());
        return ok;
    }

    private static Map<String, Boolean> saslSettings(KafkaSecurityConfig c) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        KafkaSecurityConfig.Sasl s = c.sasl();
        m.put(MECHANISM, s.mechanism().isPresent());
        m.put(USERNAME, s.username().isPresent());
        m.put(PASSWORD, s.password().isPresent());
        m.put(PASSWORD_FILE, s.passwordFile().isPresent());
        m.put(JAAS, s.jaasConfig().isPresent());
        m.put(JAAS_FILE, s.jaasConfigFile().isPresent());
        m.putAll(kerberosSettings(c));
        return m;
    }

    private static Map<String, Boolean> kerberosSettings(KafkaSecurityConfig c) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        KafkaSecurityConfig.Kerberos k = c.kerberos();
        m.put(SERVICE_NAME, k.serviceName().isPresent());
        m.put(KRB5_CONF, k.krb5Conf().isPresent());
        m.put(KEYTAB, k.keytab().isPresent());
        m.put(PRINCIPAL, k.principal().isPresent());
        return m;
    }

    private static Map<String, Boolean> sslSettings(KafkaSecurityConfig.Ssl s) {
        Map<String, Boolean> m = new LinkedHashMap<>();
        m.put(TRUSTSTORE, s.truststoreLocation().isPresent());
        m.put(TRUSTSTORE_PASSWORD, s.truststorePassword().isPresent());
        m.put(TRUSTSTORE_PASSWORD_FILE, s.truststorePasswordFile().isPresent());
        m.put(TRUSTSTORE_TYPE, s.truststoreType().isPresent());
        m.put(KEYSTORE, s.keystoreLocation().isPresent());
        m.put(KEYSTORE_PASSWORD, s.keystorePassword().isPresent());
        m.put(KEYSTORE_PASSWORD_FILE, s.keystorePasswordFile().isPresent());
        m.put(KEYSTORE_TYPE, s.keystoreType().isPresent());
        m.put(KEY_PASSWORD, s.keyPassword().isPresent());
        m.put(KEY_PASSWORD_FILE, s.keyPasswordFile().isPresent());
        m.put(HOSTNAME_VERIFICATION, s.hostnameVerification().isPresent());
        return m;
    }
}
