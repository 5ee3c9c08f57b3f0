package io.kwsync.runtime.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/**
 * Turns every failure of an API call in both services into {@link ApiError} JSON: a body that is not JSON or does not
 * fit the request (unknown fields, wrong types) is a 400 saying which field and why; paths, methods and media types
 * the API does not serve are 404, 405, 415; anything unexpected is a 500 with an id to find it in the log. Messages
 * never carry Java class names. Ahead of Quarkus' own mappers, which answer with an empty body in production.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);
    private static final int FIRST = Priorities.USER - 100;

    @ServerExceptionMapper(priority = FIRST)
    public Response json(JsonProcessingException e) {
        return ApiError.response(400, JsonProblems.code(e), JsonProblems.describe(e));
    }

    /**
     * Unknown fields and wrong types, which Quarkus throws as they are: mapped by their own type, since a mapper of
     * the closest type wins and Quarkus has one for this type.
     */
    @ServerExceptionMapper(priority = FIRST)
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper(priority = FIRST)
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException j) return json(j); // malformed JSON, numbers out of range
        if (status >= 500) return unexpected(e);
        Object entity = e.getResponse().hasEntity() ? e.getResponse().getEntity() : null;
        if (entity instanceof ApiError) return e.getResponse();
        String message;
        if (entity instanceof String text && !text.isBlank()) {
            message = text.strip(); // a resource's own reason, e.g. a text/plain endpoint's refusal
        } else if (e instanceof NotFoundException && e.getCause() != null) {
            // JAX-RS answers a query or path parameter it cannot convert (limit=abc) with 404; it is the request's fault
            return ApiError.response(400, "invalid_request", "a parameter of the request cannot be read: "
                    + JsonProblems.plain(String.valueOf(e.getCause().getMessage())));
        } else if (e instanceof NotFoundException) {
            message = "no such resource: " + uri.getPath();
        } else if (e instanceof NotAllowedException n) {
            var allowed = new java.util.TreeSet<>(n.getResponse().getAllowedMethods());
            message = "method not allowed on " + uri.getPath() + (allowed.isEmpty() ? "" : " (allowed: " + String.join(", ", allowed) + ")");
        } else if (e instanceof NotSupportedException) {
            message = "the body must be JSON: send Content-Type: application/json";
        } else if (status == 413) {
            message = "the request body is too large";
        } else {
            message = JsonProblems.plain(e.getMessage());
        }
        return ApiError.response(status, ApiError.code(status), message);
    }

    @ServerExceptionMapper(priority = FIRST + 1)
    public Response unexpected(Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        LOG.errorf(e, "API call failed (error id %s)", id);
        return ApiError.response(500, "internal_error", "the service failed to answer; its log has the details under error id " + id);
    }
}
