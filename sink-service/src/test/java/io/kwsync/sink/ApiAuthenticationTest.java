package io.kwsync.sink;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Everything under /api/ of sink-service needs the bearer token; health and metrics stay open for probes. */
@QuarkusTest
@WithTestResource(SinkTopicsResource.class)
class ApiAuthenticationTest {

    @ConfigProperty(name = "kwsync.api.token")
    String token;

    @Test
    void theApiNeedsTheToken() {
        given().get("/api/jobs").then().statusCode(401).header("WWW-Authenticate", "Bearer realm=\"kwsync\"")
                .body("message", containsString("missing bearer token"));
        given().auth().oauth2("not-the-token-at-all").post("/api/jobs/x/rerun").then().statusCode(401)
                .body("message", equalTo("invalid bearer token"));
        given().auth().oauth2(token).get("/api/jobs").then().statusCode(404);
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("kwsync_rows_written_total"));
    }
}
