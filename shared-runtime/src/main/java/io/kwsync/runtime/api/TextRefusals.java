package io.kwsync.runtime.api;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A resource may refuse with a text answer of its own (a text/plain endpoint throwing a WebApplicationException with a
 * reason, which JAX-RS sends as it is, past the exception mappers). Rewritten here as {@link ApiError} JSON with the
 * same reason, so a client reads every refusal of either service the same way.
 */
public class TextRefusals {

    @ServerResponseFilter
    public void toJson(ContainerResponseContext response) {
        if (response.getStatus() < 400 || !(response.getEntity() instanceof String text)) return;
        MediaType type = response.getMediaType();
        if (type != null && !type.isCompatible(MediaType.TEXT_PLAIN_TYPE)) return;
        response.setEntity(new ApiError(ApiError.code(response.getStatus()), text.strip()), null, MediaType.APPLICATION_JSON_TYPE);
    }
}
