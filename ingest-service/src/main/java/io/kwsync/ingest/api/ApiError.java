package io.kwsync.ingest.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The JSON body of a refused API call: {"error": "...", "message": "..."}, as the authentication filter writes it. */
@RegisterForReflection
public record ApiError(String error, String message) {

    static Response response(Response.Status status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(error, message)).build();
    }
}
