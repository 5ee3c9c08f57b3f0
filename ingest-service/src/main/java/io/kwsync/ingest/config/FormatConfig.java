package io.kwsync.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The record formats ingest-service reads and the schema registry it fetches their schemas from. Each key
 * {@code kwsync.a.b-c} is set by the variable {@code KWSYNC_A_B_C}. Read once, at start, into {@link FormatSettings}.
 */
@ConfigMapping(prefix = "kwsync")
public interface FormatConfig {

    Value value();

    Key key();

    SchemaRegistry schemaRegistry();

    /**
     * What a Kafka tombstone (null value) on a plain topic does: row (default: mapped like any record, as before),
     * delete (deletes the row of the record key), ignore or error (to the error topic).
     */
    @WithDefault("row")
    String tombstone();

    interface Value {
        /**
         * json (default: the value is read as today), avro, protobuf, json-schema, debezium-json, debezium-avro,
         * canal-json or maxwell-json.
         */
        @WithDefault("json")
        String format();

        /** The writer schema of bare Avro values (format avro without the registry framing). */
        Optional<String> avroSchema();

        /** A file holding that schema. */
        Optional<String> avroSchemaFile();
    }

    interface Key {
        /** json, avro, protobuf or json-schema: how structured keys are decoded. Default: from the value format. */
        Optional<String> format();
    }

    interface SchemaRegistry {
        /** One or more base URLs, comma-separated, tried in order. */
        Optional<List<String>> url();

        Optional<String> username();

        Optional<String> password();

        Optional<String> passwordFile();

        Optional<String> token();

        Optional<String> tokenFile();

        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("10s")
        Duration requestTimeout();

        /** A trust store with the CA of an https registry's certificate; unset: the JVM's CAs. */
        Optional<String> truststoreLocation();

        /** Its password (JKS, PKCS12). */
        Optional<String> truststorePassword();

        /** A file holding that password (first line); wins over the variable. */
        Optional<String> truststorePasswordFile();

        /** JKS (also reads PKCS12 files), PKCS12 or PEM (certificates in a text file, no password). */
        @WithDefault("JKS")
        String truststoreType();
    }
}
