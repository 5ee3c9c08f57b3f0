package io.kwsync.ingest;

import io.restassured.RestAssured;
import io.restassured.builder.RequestSpecBuilder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A Quarkus test whose every REST Assured request carries the service's API token, as everything under /api/ needs. */
public abstract class BearerTokenTest {

    @ConfigProperty(name = "kwsync.api.token")
    protected String token;

    @BeforeEach
    void authenticate() {
        RestAssured.requestSpecification = new RequestSpecBuilder().addHeader("Authorization", "Bearer " + token).build();
    }

    @AfterEach
    void forgetToken() {
        RestAssured.requestSpecification = null;
    }
}
