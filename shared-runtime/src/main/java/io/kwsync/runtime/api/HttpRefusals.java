package io.kwsync.runtime.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * What the HTTP server answers outside the REST layer, in both services, as {@link ApiError} JSON like every other
 * refusal: a path nothing serves (404 instead of an HTML page), a method a route does not take (405), a body or header
 * over the server's limits (413, 431), and a failure of a non-REST route (500 with an id to find it in the log).
 */
@ApplicationScoped
public class HttpRefusals {

    private static final Logger LOG = Logger.getLogger(HttpRefusals.class);
    private static final int[] STATUSES = {400, 404, 405, 406, 413, 414, 415, 431};

    void register(@Observes Router router) {
        for (int status : STATUSES) router.errorHandler(status, rc -> refuse(rc, status));
        // before Quarkus' own failure handler, which answers a failed status with an empty body
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failed);
    }

    private void failed(RoutingContext rc) {
        if (rc.response().ended() || rc.response().headWritten()) {
            rc.next();
        } else if (rc.failure() == null && rc.statusCode() >= 400 && rc.statusCode() < 500) {
            refuse(rc, rc.statusCode());
        } else {
            String id = UUID.randomUUID().toString().substring(0, 8);
            LOG.errorf(rc.failure(), "HTTP request %s %s failed (error id %s)", rc.request().method(), rc.normalizedPath(), id);
            write(rc, 500, new ApiError("internal_error", "the service failed to answer; its log has the details under error id " + id));
        }
    }

    private static void refuse(RoutingContext rc, int status) {
        if (rc.response().ended() || rc.response().headWritten()) return;
        String message = switch (status) {
            case 404 -> "no such resource: " + rc.normalizedPath();
            case 405 -> "method " + rc.request().method() + " is not allowed on " + rc.normalizedPath();
            case 413 -> "the request body is too large";
            case 414 -> "the request URI is too long";
            case 431 -> "the request headers are too large";
            case 415 -> "unsupported media type: send Content-Type: application/json";
            case 406 -> "the service answers application/json only";
            default -> "the request cannot be served as sent";
        };
        write(rc, status, new ApiError(ApiError.code(status), message));
    }

    private static void write(RoutingContext rc, int status, ApiError error) {
        rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(error.json());
    }
}
