package io.kwsync.runtime.kafka;

import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;

import javax.security.auth.login.AppConfigurationEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kafka's sasl.jaas.config values: composed from settings, taken from JAAS files, parsed with Kafka's own parser. */
public final class Jaas {

    public static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    public static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    public static final String KERBEROS_MODULE = "com.sun.security.auth.module.Krb5LoginModule";

    private static final Pattern KAFKA_CLIENT_START = Pattern.compile("^\\s*KafkaClient\\s*\\{");

    private Jaas() {
    }

    /** One required login module with its options, values quoted so that any character survives Kafka's parser. */
    public static String loginModule(String className, Map<String, String> options) {
        StringBuilder sb = new StringBuilder(className).append(" required");
        options.forEach((k, v) -> sb.append(' ').append(k).append("=\"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r"))
                .append('"'));
        return sb.append(';').toString();
    }

    /**
     * The sasl.jaas.config value held by a file: either already a login module line, or a JAAS file with a
     * {@code KafkaClient { ... };} section (the format DataWorks' Kafka data source documents), of which the section's body is taken.
     */
    public static String fromFile(String text) {
        return kafkaClientBody(text).orElse(text).trim();
    }

    /** True when the text is a JAAS file whose sections are not exactly one KafkaClient section. */
    public static boolean isForeignJaasFile(String text) {
        return text.contains("{") && kafkaClientBody(text).isEmpty();
    }

    /** The body of a file that is one {@code KafkaClient { ... };} section; braces inside quoted values are skipped. */
    static Optional<String> kafkaClientBody(String text) {
        Matcher m = KAFKA_CLIENT_START.matcher(text);
        if (!m.lookingAt()) return Optional.empty();
        boolean quoted = false;
        for (int i = m.end(); i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted && ch == '\\') {
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (!quoted && ch == '{') {
                return Optional.empty();
            } else if (!quoted && ch == '}') {
                String rest = text.substring(i + 1).trim();
                return rest.equals(";") ? Optional.of(text.substring(m.end(), i)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The login module entry, parsed as Kafka parses it; empty when Kafka would refuse the value. */
    public static Optional<AppConfigurationEntry> parse(String jaasConfig) {
        try {
            List<AppConfigurationEntry> entries = JaasContext.loadClientContext(
                    Map.of(SaslConfigs.SASL_JAAS_CONFIG, new Password(jaasConfig))).configurationEntries();
            return entries.size() == 1 ? Optional.of(entries.get(0)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A string option of the entry, e.g. keyTab or serviceName. */
    public static Optional<String> option(AppConfigurationEntry entry, String name) {
        Object v = entry.getOptions().get(name);
        return v == null ? Optional.empty() : Optional.of(v.toString());
    }
}
