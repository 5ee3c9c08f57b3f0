package io.kwsync.ingest.job;

import io.kwsync.ingest.config.JobControl;
import io.kwsync.model.job.LoadResult;
import io.kwsync.runtime.api.ApiError;
import io.kwsync.ingest.schedule.ExpressionException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP API of a job connector (a window job or the Kafka Writer): what the job is, its runs, "run with parameters" and
 * rerun. Any replica answers; runs requested here are queued on the status topic and executed by the leader. Refusals
 * are {@link ApiError} JSON; a body with a field the request does not know is refused before it gets here
 * (shared-runtime's strict JSON reading).
 */
@Path("/api/jobs/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    private final JobService jobs;

    public JobResource(JobService jobs) {
        this.jobs = jobs;
    }

    /**
     * Body of POST /api/jobs/NAME/runs; every field optional.
     *
     * @param allowEmpty true to let the run replace its partitions with nothing (an empty window, or a window without
     *                   records): without it such a run is refused, so a mistake cannot empty a loaded partition
     */
    public record RunRequest(Map<String, String> parameters, String scheduledTime, Boolean allowEmpty) {
    }

    public record RunView(RunStatus run, LoadResult load) {
    }

    @GET
    public Response job(@PathParam("name") String name) {
        if (!exists(name)) return notFound(name);
        JobControl d = jobs.control();
        Map<String, Object> out = new LinkedHashMap<>(jobs.describe());
        Map<String, Object> schedule = new LinkedHashMap<>();
        schedule.put("cycle", d.schedule() == null ? "none" : d.schedule().toString());
        jobs.lastSlot().ifPresent(s -> schedule.put("lastSlot", s));
        jobs.nextSlot().ifPresent(s -> {
            schedule.put("nextSlot", s[0]);
            schedule.put("nextSlotInstant", s[1]);
        });
        out.put("schedule", schedule);
        out.put("rerun", Map.of("times", d.rerunTimes(), "interval", d.rerunInterval().toString()));
        out.put("statusTopic", jobs.statusTopic());
        out.put("leader", jobs.isLeader());
        out.put("runs", jobs.runs(10));
        return Response.ok(out).build();
    }

    @GET
    @Path("runs")
    public Response runs(@PathParam("name") String name, @QueryParam("limit") @DefaultValue("50") String limit) {
        if (!exists(name)) return notFound(name);
        int n;
        try {
            n = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 1000) return invalid("limit must be a whole number from 1 to 1000, got '" + limit + "'");
        List<RunStatus> runs = jobs.runs(n);
        return Response.ok(runs).build();
    }

    @POST
    @Path("runs")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(@PathParam("name") String name, RunRequest request, @Context UriInfo uri) {
        if (!exists(name)) return notFound(name);
        try {
            RunStatus run = jobs.submit(request == null ? Map.of() : request.parameters(), request == null ? null : request.scheduledTime(),
                    request != null && Boolean.TRUE.equals(request.allowEmpty()));
            return Response.accepted(run).location(uri.getAbsolutePathBuilder().path(run.id()).build()).build();
        } catch (ExpressionException e) {
            return invalid(e.getMessage());
        }
    }

    @GET
    @Path("runs/{id}")
    public Response run(@PathParam("name") String name, @PathParam("id") String id) {
        if (!exists(name)) return notFound(name);
        return jobs.run(id).map(r -> Response.ok(new RunView(r, jobs.load(id).orElse(null))).build())
                .orElseGet(() -> ApiError.response(404, "not_found", "no run " + id));
    }

    @POST
    @Path("runs/{id}/rerun")
    public Response rerun(@PathParam("name") String name, @PathParam("id") String id, @Context UriInfo uri) {
        if (!exists(name)) return notFound(name);
        return jobs.rerun(id).map(r -> Response.accepted(r)
                        .location(uri.getBaseUriBuilder().path("api/jobs").path(name).path("runs").path(r.id()).build()).build())
                .orElseGet(() -> ApiError.response(404, "not_found", "no run " + id));
    }

    private boolean exists(String name) {
        return jobs.name().filter(name::equals).isPresent();
    }

    private Response notFound(String name) {
        return ApiError.response(404, "not_found", jobs.name().isEmpty()
                ? "this deployment runs no job (KWSYNC_INGEST_MODE is stream)" : "no job named " + name);
    }

    private static Response invalid(String message) {
        return ApiError.response(400, "invalid_request", message);
    }
}
