package io.kwsync.ingest.config;

import io.kwsync.ingest.format.AvroDecoder;
import io.kwsync.ingest.format.ChangeEnvelope;
import io.kwsync.ingest.format.JsonSchemaDecoder;
import io.kwsync.ingest.format.ProtobufDecoder;
import io.kwsync.ingest.format.RecordDecoder;
import io.kwsync.ingest.format.RegistryTrust;
import io.kwsync.ingest.format.RegistrySettings;
import io.kwsync.ingest.format.SchemaRegistryClient;
import io.kwsync.ingest.convert.DecodedMapper;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.SecretFiles;

import javax.net.ssl.SSLContext;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The value and key formats with their decoders ready: validated at start, every problem naming its variable. The
 * registry client is built only when a format needs it; its credentials come from the variables or their files and are
 * never logged.
 *
 * @param valueFormat KWSYNC_VALUE_FORMAT, lower case; "json" keeps today's readers
 * @param keyFormat   KWSYNC_KEY_FORMAT, or the value format's default for change events; empty: keys read as today
 * @param registry    how to reach the registry; empty when no format needs it
 * @param avroSchema  KWSYNC_VALUE_AVRO_SCHEMA(_FILE): bare Avro values of this schema
 */
public record FormatSettings(String valueFormat, Optional<String> keyFormat, Optional<RegistrySettings> registry,
                             Optional<String> avroSchema) {

    static final String VALUE_FORMAT = "kwsync.value.format";
    static final String KEY_FORMAT = "kwsync.key.format";
    static final String URL = "kwsync.schema-registry.url";
    static final String AVRO_SCHEMA = "kwsync.value.avro-schema";
    static final String AVRO_SCHEMA_FILE = "kwsync.value.avro-schema-file";
    static final String TRUSTSTORE = "kwsync.schema-registry.truststore-location";

    static final List<String> VALUE_FORMATS = List.of("json", "avro", "protobuf", "json-schema", "debezium-json",
            "debezium-avro", "canal-json", "maxwell-json");
    static final List<String> KEY_FORMATS = List.of("json", "avro", "protobuf", "json-schema");
    static final List<String> CHANGE_FORMATS = List.of("debezium-json", "debezium-avro", "canal-json", "maxwell-json");

    /** Plain JSON values, keys as today: what the service did before formats were configurable. */
    public static FormatSettings json() {
        return new FormatSettings("json", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The settings, or null after adding every problem to {@code problems}. */
    static FormatSettings of(FormatConfig c, IngestConfig ingest, InvalidConfigurationException.Collector problems) {
        return of(c, ingest.record().layout(), ingest.mapping().columns().isPresent(), problems);
    }

    /**
     * @param layout     KWSYNC_RECORD_LAYOUT
     * @param hasMapping whether KWSYNC_MAPPING_COLUMNS is set
     */
    static FormatSettings of(FormatConfig c, IngestConfig.Layout layout, boolean hasMapping,
                             InvalidConfigurationException.Collector problems) {
        String value = c.value().format().trim().toLowerCase(Locale.ROOT);
        boolean ok = check(problems, VALUE_FORMATS.contains(value), VALUE_FORMAT,
                "'" + c.value().format() + "' is not a format: use one of " + String.join(", ", VALUE_FORMATS));
        Optional<String> key = c.key().format().map(k -> k.trim().toLowerCase(Locale.ROOT));
        ok &= check(problems, key.isEmpty() || KEY_FORMATS.contains(key.get()), KEY_FORMAT,
                "'" + key.orElse("") + "' is not a key format: use one of " + String.join(", ", KEY_FORMATS));
        if (key.isEmpty() && CHANGE_FORMATS.contains(value)) key = Optional.of(value.equals("debezium-avro") ? "avro" : "json");
        ok &= check(problems, value.equals("json") || layout == IngestConfig.Layout.JSON_COLUMNS,
                VALUE_FORMAT, "applies only to KWSYNC_RECORD_LAYOUT=json-columns");
        ok &= check(problems, !CHANGE_FORMATS.contains(value) || !hasMapping, VALUE_FORMAT,
                "is a change-event format, whose after-image gives the columns; KWSYNC_MAPPING_COLUMNS cannot be used with it");
        Optional<String> avro = avroSchema(c, problems);
        ok &= avro.isEmpty() || value.equals("avro") ? true
                : check(problems, false, AVRO_SCHEMA, "applies only to KWSYNC_VALUE_FORMAT=avro");
        boolean needsRegistry = List.of("avro", "protobuf", "json-schema", "debezium-avro").contains(value) && avro.isEmpty()
                || key.filter(k -> !k.equals("json")).isPresent();
        Optional<RegistrySettings> registry = Optional.empty();
        if (needsRegistry) {
            ok &= check(problems, c.schemaRegistry().url().filter(u -> !u.isEmpty()).isPresent(), URL, "is required by "
                    + (key.filter(k -> !k.equals("json")).isPresent() ? "the key format " + key.get() : "KWSYNC_VALUE_FORMAT=" + value)
                    + ": the schema registry's base URL");
            if (ok) registry = Optional.ofNullable(RegistryConfig.settings(c.schemaRegistry(), problems));
            ok &= registry.isPresent();
        }
        return ok ? new FormatSettings(value, key, registry, avro) : null;
    }

    private static Optional<String> avroSchema(FormatConfig c, InvalidConfigurationException.Collector problems) {
        Optional<String> text;
        try {
            text = c.value().avroSchemaFile().map(f -> SecretFiles.read(f, AVRO_SCHEMA_FILE)).or(() -> c.value().avroSchema());
        } catch (UncheckedIOException e) {
            problems.problem(AVRO_SCHEMA_FILE, "cannot be read: " + c.value().avroSchemaFile().orElse(""));
            return Optional.empty();
        }
        if (text.isPresent()) {
            try {
                AvroDecoder.withSchema(text.get());
            } catch (IllegalArgumentException e) {
                problems.problem(c.value().avroSchemaFile().isPresent() ? AVRO_SCHEMA_FILE : AVRO_SCHEMA, e.getMessage());
                return Optional.empty();
            }
        }
        return text;
    }

    public boolean isJson() {
        return valueFormat.equals("json") && keyFormat.isEmpty();
    }

    public boolean isChangeEvents() {
        return CHANGE_FORMATS.contains(valueFormat);
    }

    /** The change-event envelope; null for plain records. */
    public ChangeEnvelope envelope() {
        return isChangeEvents() ? ChangeEnvelope.named(valueFormat) : null;
    }

    /** The registry client, if any format needs one: built once per call, so call once. */
    public SchemaRegistryClient client() {
        return registry.map(SchemaRegistryClient::new).orElse(null);
    }

    /** The value decoder. */
    public RecordDecoder valueDecoder(SchemaRegistryClient client) {
        return decoder(switch (valueFormat) {
            case "debezium-avro" -> "avro";
            case "debezium-json", "canal-json", "maxwell-json" -> "json";
            default -> valueFormat;
        }, client, avroSchema);
    }

    /** The key decoder, or null when keys are read as plain records read them. */
    public RecordDecoder keyDecoder(SchemaRegistryClient client) {
        return keyFormat.map(k -> decoder(k, client, Optional.empty())).orElse(null);
    }

    private static RecordDecoder decoder(String format, SchemaRegistryClient client, Optional<String> avroSchema) {
        return switch (format) {
            case "avro" -> avroSchema.map(AvroDecoder::withSchema).orElseGet(() -> AvroDecoder.withRegistry(client));
            case "protobuf" -> new ProtobufDecoder(client);
            case "json-schema" -> new JsonSchemaDecoder(client);
            default -> DecodedMapper.json();
        };
    }

    /** The registry's URLs as the variable lists them, for readiness and logs (no credentials are in them). */
    public List<String> registryUrls() {
        List<String> out = new ArrayList<>();
        registry.ifPresent(r -> r.urls().forEach(u -> out.add(u.toString())));
        return out;
    }

    private static boolean check(InvalidConfigurationException.Collector problems, boolean ok, String property, String message) {
        problems.check(ok, property, message);
        return ok;
    }

    /** The registry's connection settings, checked. */
    static final class RegistryConfig {
        private RegistryConfig() {
        }

        static RegistrySettings settings(FormatConfig.SchemaRegistry r, InvalidConfigurationException.Collector problems) {
            List<URI> urls = new ArrayList<>();
            boolean ok = true;
            for (String u : r.url().orElse(List.of())) {
                try {
                    URI uri = URI.create(u.trim());
                    ok &= check(problems, "http".equals(uri.getScheme()) || "https".equals(uri.getScheme()), URL,
                            "'" + u + "' is not an http or https URL");
                    urls.add(uri);
                } catch (IllegalArgumentException e) {
                    ok = check(problems, false, URL, "'" + u + "' is not a URL");
                }
            }
            ok &= positive(problems, r.connectTimeout(), "kwsync.schema-registry.connect-timeout");
            ok &= positive(problems, r.requestTimeout(), "kwsync.schema-registry.request-timeout");
            String authorization = null;
            try {
                Optional<String> password = SecretFiles.firstLine(r.password(), r.passwordFile(), "kwsync.schema-registry.password-file");
                Optional<String> token = SecretFiles.firstLine(r.token(), r.tokenFile(), "kwsync.schema-registry.token-file");
                ok &= check(problems, r.username().isPresent() == password.isPresent(), "kwsync.schema-registry.username",
                        "and KWSYNC_SCHEMA_REGISTRY_PASSWORD (or _PASSWORD_FILE) go together: basic authentication needs both");
                ok &= check(problems, token.isEmpty() || r.username().isEmpty(), "kwsync.schema-registry.token",
                        "and KWSYNC_SCHEMA_REGISTRY_USERNAME exclude each other: use a bearer token or basic authentication");
                if (token.isPresent()) authorization = RegistrySettings.bearer(token.get());
                else if (r.username().isPresent() && password.isPresent()) {
                    authorization = RegistrySettings.basic(r.username().get(), password.get());
                }
            } catch (UncheckedIOException e) {
                problems.problem(r.passwordFile().isPresent() ? "kwsync.schema-registry.password-file" : "kwsync.schema-registry.token-file",
                        "cannot be read");
                ok = false;
            }
            SSLContext ssl = trust(r, urls, problems);
            ok &= ssl != null || r.truststoreLocation().isEmpty();
            if (!ok) return null;
            return new RegistrySettings(urls, r.connectTimeout(), r.requestTimeout(), authorization, ssl);
        }

        /** The trust of KWSYNC_SCHEMA_REGISTRY_TRUSTSTORE_*, or null (the JVM's, or after adding the problem). */
        private static SSLContext trust(FormatConfig.SchemaRegistry r, List<URI> urls, InvalidConfigurationException.Collector problems) {
            if (r.truststoreLocation().isEmpty()) return null;
            String location = r.truststoreLocation().get();
            if (!check(problems, urls.stream().anyMatch(u -> "https".equals(u.getScheme())), TRUSTSTORE,
                    "is set, but no KWSYNC_SCHEMA_REGISTRY_URL is https: the trust store would never be used")) return null;
            if (!check(problems, RegistryTrust.TYPES.contains(r.truststoreType().trim().toUpperCase(Locale.ROOT)),
                    "kwsync.schema-registry.truststore-type", "'" + r.truststoreType() + "' is not a trust store type: use "
                            + String.join(", ", RegistryTrust.TYPES))) return null;
            String password;
            try {
                password = SecretFiles.firstLine(r.truststorePassword(), r.truststorePasswordFile(),
                        "kwsync.schema-registry.truststore-password-file").orElse(null);
            } catch (UncheckedIOException e) {
                problems.problem("kwsync.schema-registry.truststore-password-file", "cannot be read");
                return null;
            }
            if (!check(problems, Files.isReadable(Path.of(location)), TRUSTSTORE,
                    "names a file that does not exist or cannot be read: " + location)) return null;
            try {
                return RegistryTrust.context(Path.of(location), r.truststoreType(), password);
            } catch (IllegalArgumentException e) {
                problems.problem(TRUSTSTORE, e.getMessage()); // names the file and the cause, never the password
                return null;
            }
        }

        private static boolean positive(InvalidConfigurationException.Collector problems, Duration d, String property) {
            return check(problems, !d.isNegative() && !d.isZero(), property, "must be more than zero");
        }
    }
}
