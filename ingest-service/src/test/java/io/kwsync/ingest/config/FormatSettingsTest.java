package io.kwsync.ingest.config;

import io.kwsync.ingest.format.AvroDecoder;
import io.kwsync.ingest.format.Decoded;
import io.kwsync.ingest.format.ProtobufDecoder;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The record-format settings: defaults, decoders built as configured, and start-up problems naming the variable. */
class FormatSettingsTest {

    static InvalidConfigurationException.Collector problems;

    static FormatSettings read(Map<String, String> properties, IngestConfig.Layout layout, boolean mapping) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(FormatConfig.class)
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withDefaultValues(properties).build();
        problems = new InvalidConfigurationException.Collector();
        return FormatSettings.of(config.getConfigMapping(FormatConfig.class), layout, mapping, problems);
    }

    static FormatSettings read(Map<String, String> properties) {
        return read(properties, IngestConfig.Layout.JSON_COLUMNS, false);
    }

    static String problem(Map<String, String> properties, IngestConfig.Layout layout, boolean mapping) {
        assertNull(read(properties, layout, mapping), "expected a problem");
        return assertThrows(InvalidConfigurationException.class, problems::throwIfAny).getMessage();
    }

    static String problem(Map<String, String> properties) {
        return problem(properties, IngestConfig.Layout.JSON_COLUMNS, false);
    }

    @Test
    void jsonIsTheDefaultAndNeedsNoRegistry() {
        FormatSettings s = read(Map.of());
        assertTrue(s.isJson());
        assertTrue(s.registry().isEmpty());
    }

    @Test
    void registryFormatsBuildTheirDecodersWithDeadlinesAndCredentialsFromFiles(@TempDir Path dir) throws IOException {
        Path password = Files.writeString(dir.resolve("pw"), "s3cret\n");
        FormatSettings s = read(Map.of("kwsync.value.format", "Protobuf", "kwsync.schema-registry.url", "http://a:1,https://b:2",
                "kwsync.schema-registry.username", "u", "kwsync.schema-registry.password-file", password.toString(),
                "kwsync.schema-registry.request-timeout", "3s"));
        assertEquals("protobuf", s.valueFormat());
        assertEquals(java.util.List.of("http://a:1", "https://b:2"), s.registryUrls());
        assertEquals(Duration.ofSeconds(3), s.registry().orElseThrow().requestTimeout());
        assertEquals(io.kwsync.ingest.format.RegistrySettings.basic("u", "s3cret"), s.registry().orElseThrow().authorization());
        assertInstanceOf(ProtobufDecoder.class, s.valueDecoder(s.client()));
        assertNull(s.keyDecoder(s.client()), "plain keys are read by KWSYNC_SOURCE_KEY_TYPE");
    }

    @Test
    void changeEventFormatsDecodeTheirKeysAndAConfiguredAvroSchemaNeedsNoRegistry() {
        FormatSettings debezium = read(Map.of("kwsync.value.format", "debezium-json"));
        assertEquals("json", debezium.keyFormat().orElseThrow());
        assertInstanceOf(Decoded.Json.class, debezium.keyDecoder(null).decode(new byte[]{'{', '}'}, "key"));
        assertEquals("avro", read(Map.of("kwsync.value.format", "debezium-avro", "kwsync.schema-registry.url", "http://r:1"))
                .keyFormat().orElseThrow());
        FormatSettings bare = read(Map.of("kwsync.value.format", "avro", "kwsync.value.avro-schema", "\"long\""));
        assertTrue(bare.registry().isEmpty());
        assertInstanceOf(AvroDecoder.class, bare.valueDecoder(null));
        assertEquals(42L, ((Decoded.Tree) bare.valueDecoder(null).decode(new byte[]{84}, "value")).root());
    }

    @Test
    void mistakesNameTheirVariables() {
        assertTrue(problem(Map.of("kwsync.value.format", "xml")).contains("KWSYNC_VALUE_FORMAT (kwsync.value.format) 'xml' is not a format"));
        assertTrue(problem(Map.of("kwsync.value.format", "avro")).contains("KWSYNC_SCHEMA_REGISTRY_URL (kwsync.schema-registry.url) is required"));
        assertTrue(problem(Map.of("kwsync.value.format", "avro", "kwsync.schema-registry.url", "ftp://r"))
                .contains("'ftp://r' is not an http or https URL"));
        assertTrue(problem(Map.of("kwsync.value.format", "avro", "kwsync.value.avro-schema", "{\"type\": \"nope\"}"))
                .contains("KWSYNC_VALUE_AVRO_SCHEMA (kwsync.value.avro-schema) not a valid Avro schema"));
        assertTrue(problem(Map.of("kwsync.value.format", "json-schema", "kwsync.schema-registry.url", "http://r:1",
                "kwsync.schema-registry.username", "u")).contains("KWSYNC_SCHEMA_REGISTRY_USERNAME"));
        assertTrue(problem(Map.of("kwsync.value.format", "json-schema", "kwsync.schema-registry.url", "http://r:1",
                "kwsync.schema-registry.connect-timeout", "0s")).contains("KWSYNC_SCHEMA_REGISTRY_CONNECT_TIMEOUT"));
        assertTrue(problem(Map.of("kwsync.value.format", "canal-json"), IngestConfig.Layout.JSON_COLUMNS, true)
                .contains("KWSYNC_MAPPING_COLUMNS cannot be used with it"));
        assertTrue(problem(Map.of("kwsync.value.format", "maxwell-json"), IngestConfig.Layout.KEY_VALUE, false)
                .contains("applies only to KWSYNC_RECORD_LAYOUT=json-columns"));
        assertTrue(problem(Map.of("kwsync.key.format", "csv")).contains("KWSYNC_KEY_FORMAT"));
    }
}
