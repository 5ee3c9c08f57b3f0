package io.kwsync.ingest.config;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.ingest.mapping.ColumnMapping;
import io.kwsync.ingest.mapping.InvalidMappingException;
import io.kwsync.ingest.mapping.KafkaType;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Optional;

/**
 * The decoding and column-mapping settings, validated together: key and value types, the charset, and the mapping
 * (absent when each JSON key is its own column). Part of {@link IngestSettings}, built once at start.
 */
public record MappingSettings(KafkaType keyType, KafkaType valueType, Charset charset, Optional<ColumnMapping> columns) {

    static final String KEY_TYPE = "kwsync.source.key-type";
    static final String VALUE_TYPE = "kwsync.source.value-type";
    static final String ENCODING = "kwsync.source.encoding";
    static final String COLUMNS = "kwsync.mapping.columns";

    /** The settings, or null after adding every problem to {@code problems}. */
    static MappingSettings of(IngestConfig config, InvalidConfigurationException.Collector problems) {
        IngestConfig.Source source = config.source();
        KafkaType keyType = type(source.keyType(), KEY_TYPE, problems);
        KafkaType valueType = type(source.valueType(), VALUE_TYPE, problems);
        Charset charset = charset(source.encoding(), problems);
        Optional<String> text = config.mapping().columns().filter(t -> !t.isBlank());
        if (text.isEmpty() && valueType != null && !valueType.isText()) {
            problems.problem(VALUE_TYPE, "is " + valueType + ", but without KWSYNC_MAPPING_COLUMNS each value must be a"
                    + " JSON object (STRING or BYTEARRAY); map __value__ in KWSYNC_MAPPING_COLUMNS to write it as a column");
        }
        if (keyType == null || valueType == null || charset == null) return null;
        if (text.isEmpty()) return new MappingSettings(keyType, valueType, charset, Optional.empty());
        try {
            return new MappingSettings(keyType, valueType, charset,
                    Optional.of(ColumnMapping.parse(text.get(), keyType, valueType, charset)));
        } catch (InvalidMappingException e) {
            e.problems().forEach(p -> problems.problem(COLUMNS, p));
            return null;
        }
    }

    private static KafkaType type(String text, String property, InvalidConfigurationException.Collector problems) {
        KafkaType t = KafkaType.parse(text);
        if (t == null) problems.problem(property, "'" + text + "' is not a type; use one of " + KafkaType.names());
        return t;
    }

    private static Charset charset(String name, InvalidConfigurationException.Collector problems) {
        try {
            return Charset.forName(name.trim());
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            problems.problem(ENCODING, "'" + name + "' is not a charset this JVM knows, e.g. UTF-8, GBK, ISO-8859-1");
            return null;
        }
    }
}
