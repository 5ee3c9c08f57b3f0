package io.kwsync.ingest.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.Map;

/**
 * The managed connectors' "Test" action: one message for a source topic. Read with an explicit ObjectReader rather than as a
 * resource parameter, hence registered for reflection in native images.
 *
 * @param topic     one of the connector's source topics; may be left out when there is only one
 * @param key       message key as text; absent or null for no key
 * @param value     message content: a JSON string is sent as its text, any other JSON value as its JSON text
 * @param partition partition to send to; absent to let the producer choose
 * @param headers   header name -> text value
 */
@RegisterForReflection
public record TestMessageRequest(String topic, String key, JsonNode value, Integer partition, Map<String, String> headers) {
}
