package io.kwsync.sink;

import io.kwsync.emulator.maxcompute.MaxComputeEmulator;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** POST /api/preview of sink-service with the MaxCompute destination (the emulator): refused values, keys without a column, a missing table. */
@QuarkusTest
@QuarkusTestResource(value = MaxComputeSinkResource.class, restrictToAnnotatedClass = true)
class MaxComputePreviewTest {

    MaxComputeEmulator emulator;

    @ConfigProperty(name = "kwsync.maxcompute.table", defaultValue = "unset")
    String table;
    @ConfigProperty(name = "kwsync.api.token")
    String token;

    @Test
    void valuesTheColumnsCannotTakeAndKeysWithoutAColumnAreNamedAndNothingIsWritten() {
        Map<String, Object> body = Map.of("table", table, "rows", List.of(
                Map.of("topic", "orders", "partition", 0, "offset", 7, "key", "k", "value", "v", "coupon", "WELCOME"),
                Map.of("topic", "orders", "partition", "zero")));
        given().auth().oauth2(token).contentType("application/json").body(body).post("/api/preview").then().statusCode(200)
                .body("exists", equalTo(true)).body("table", equalTo(MaxComputeSinkResource.PROJECT + "." + table))
                .body("missingColumns", equalTo(List.of("coupon"))).body("ddl", empty())
                .body("refused.size()", equalTo(1)).body("refused[0].row", equalTo(1))
                .body("refused[0].reason", containsString("column partition (BIGINT)"))
                .body("refused[0].reason", containsString("'zero' is not an integer"));
        assertEquals(0, emulator.rowCount(MaxComputeSinkResource.PROJECT, table), "a preview writes nothing");

        given().auth().oauth2(token).contentType("application/json").body(Map.of("table", "no_such_table", "rows", List.of(Map.of("a", 1))))
                .post("/api/preview").then().statusCode(200)
                .body("exists", equalTo(false)).body("note", containsString("/api/maxcompute/ddl"));
        given().auth().oauth2(token).contentType("application/json").body(Map.of("table", "bad-name;", "rows", List.of(Map.of("a", 1))))
                .post("/api/preview").then().statusCode(400).body("message", containsString("letters, digits and _"));
    }
}
