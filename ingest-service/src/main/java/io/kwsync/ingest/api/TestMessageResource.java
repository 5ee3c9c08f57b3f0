package io.kwsync.ingest.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.kwsync.runtime.api.ApiError;
import io.kwsync.runtime.api.JsonProblems;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.io.IOException;

/** POST /api/test-messages: sends one message to a source topic, to check the connector end to end. */
@Path("/api/test-messages")
public class TestMessageResource {

    private static final Logger LOG = Logger.getLogger(TestMessageResource.class);

    private final TestMessages messages;
    private final ObjectReader reader;

    public TestMessageResource(TestMessages messages, ObjectMapper mapper) {
        this.messages = messages;
        // Strict: a misspelt field ("partiton") is an error, not silently a message to a random partition.
        this.reader = mapper.readerFor(TestMessageRequest.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response send(JsonNode body) {
        try {
            TestMessageResult result = messages.send(body == null ? null : reader.readValue(body));
            LOG.infof("test message sent to %s-%d at offset %d", result.topic(), result.partition(), result.offset());
            return Response.ok(result).build();
        } catch (JsonProcessingException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, JsonProblems.code(e), JsonProblems.describe(e));
        } catch (IOException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "invalid_request", "the body cannot be read: " + e.getMessage());
        } catch (TestMessages.InvalidRequestException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "invalid_request", e.getMessage());
        } catch (TestMessages.TooLargeException e) {
            return ApiError.response(Response.Status.REQUEST_ENTITY_TOO_LARGE, "message_too_large", e.getMessage());
        } catch (TestMessages.SendFailedException e) {
            LOG.warnf("test message not sent: %s", e.getMessage());
            return ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "kafka_unavailable", e.getMessage());
        }
    }
}
