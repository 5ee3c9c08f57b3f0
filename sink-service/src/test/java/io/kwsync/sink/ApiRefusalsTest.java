package io.kwsync.sink;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

/**
 * sink-service refuses like ingest-service (shared-runtime): every refusal is {"error", "message"} JSON, unknown paths
 * and methods included, and no message names a Java class.
 */
@QuarkusTest
@QuarkusTestResource(value = SinkTopicsResource.class, restrictToAnnotatedClass = true)
class ApiRefusalsTest {

    @ConfigProperty(name = "kwsync.api.token")
    String token;

    @Test
    void unknownPathsAndMethodsAreJson() {
        given().auth().oauth2(token).get("/api/nothing/here").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not_found")).body("message", equalTo("no such resource: /api/nothing/here"));
        given().auth().oauth2(token).get("/").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not_found"));
        given().get("/q/nothing").then().statusCode(401).contentType(ContentType.JSON);
        given().auth().oauth2(token).get("/q/nothing").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not_found"));
        given().auth().oauth2(token).post("/api/maxcompute/ddl").then().statusCode(405).contentType(ContentType.JSON)
                .body("error", equalTo("method_not_allowed"));
    }

    @Test
    void aResourcesOwnRefusalKeepsItsReasonInJson() {
        given().auth().oauth2(token).get("/api/maxcompute/ddl").then().statusCode(400).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_request")).body("message", equalTo("topic is required, e.g. ?topic=orders"));
        given().auth().oauth2(token).queryParam("topic", "t").queryParam("lifecycle", "abc").get("/api/maxcompute/ddl")
                .then().statusCode(400).contentType(ContentType.JSON).body("error", equalTo("invalid_request"))
                .body("message", startsWith("a parameter of the request cannot be read"))
                .body("message", not(containsString("java.")));
    }
}
