package io.kwsync.runtime.api;

import io.kwsync.runtime.config.ServiceConfig;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Puts {@link ApiGuard} in front of every HTTP route (before routing, so unknown paths are refused too): the API
 * needs the bearer token, health and metrics stay open.
 */
@ApplicationScoped
public class ApiAuthentication {

    private static final Logger LOG = Logger.getLogger(ApiAuthentication.class);

    void register(@Observes Filters filters, ServiceConfig config) {
        ApiGuard guard = ApiGuard.of(config.api());
        if (!guard.enabled()) LOG.warn("KWSYNC_API_TOKEN(_FILE) is not set: the HTTP API refuses every call");
        filters.register(rc -> guard.refuse(rc.normalizedPath(), rc.request().getHeader(HttpHeaders.AUTHORIZATION))
                .ifPresentOrElse(refusal -> {
                    if (refusal.challenge() != null) rc.response().putHeader("WWW-Authenticate", refusal.challenge());
                    rc.response().setStatusCode(refusal.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .end(refusal.json());
                }, rc::next), 1000);
    }
}
