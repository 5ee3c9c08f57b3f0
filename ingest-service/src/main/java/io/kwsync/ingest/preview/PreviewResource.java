package io.kwsync.ingest.preview;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * GET /api/preview?records=N: what the last N records of each source partition would become, without committing or
 * publishing anything ({@link MappingPreview}). Behind the API token like every path under /api/.
 */
@Path("/api/preview")
public class PreviewResource {

    private static final Logger LOG = Logger.getLogger(PreviewResource.class);
    static final int DEFAULT_RECORDS = 10;

    /** A refused call: {"error": "...", "message": "..."}, as the other endpoints answer. */
    @RegisterForReflection
    public record Refusal(String error, String message) {
    }

    private final MappingPreview preview;

    public PreviewResource(MappingPreview preview) {
        this.preview = preview;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response preview(@QueryParam("records") String records) {
        int n;
        try {
            n = records == null || records.isBlank() ? DEFAULT_RECORDS : Integer.parseInt(records.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > MappingPreview.MAX_RECORDS) {
            return refuse(Response.Status.BAD_REQUEST, "invalid_request", "records must be a whole number from 1 to "
                    + MappingPreview.MAX_RECORDS + " (records read from the end of each source partition), got '" + records + "'");
        }
        try {
            return Response.ok(preview.preview(n)).build();
        } catch (KafkaException e) {
            LOG.warnf("mapping preview failed: %s", e.getMessage());
            return refuse(Response.Status.SERVICE_UNAVAILABLE, "kafka_unavailable", "the source topics could not be read: " + e.getMessage());
        }
    }

    private static Response refuse(Response.Status status, String error, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new Refusal(error, message)).build();
    }
}
