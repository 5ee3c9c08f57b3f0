package io.kwsync.runtime.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The body of every refused API call, in both services: {@code {"error": "...", "message": "..."}}, a short error code
 * a program can test and a sentence for the person who sent the call.
 */
@RegisterForReflection
public record ApiError(String error, String message) {

    public static Response response(int status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(error, message)).build();
    }

    public static Response response(Response.Status status, String error, String message) {
        return response(status.getStatusCode(), error, message);
    }

    /** The same as JSON text, for answers written outside the REST layer. */
    public String json() {
        return new JsonObject().put("error", error).put("message", message).encode();
    }

    /** The error code of an HTTP status the API answers without a more precise one. */
    public static String code(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal_error" : "invalid_request";
        };
    }
}
