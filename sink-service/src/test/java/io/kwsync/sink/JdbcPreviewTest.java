package io.kwsync.sink;

import io.kwsync.testing.TestDatabases;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * POST /api/preview of sink-service with the JDBC destination: which keys have no column, which rows the table refuses
 * and why, the table that does not exist; nothing written; bounded input and the token. Runs on the database the test
 * resource gives (MariaDB: ApiRefusalsTest declares SinkTopicsResource for every test of the module).
 */
@QuarkusTest
@WithTestResource(value = SinkTopicsResource.class)
class JdbcPreviewTest {

    @ConfigProperty(name = "test.table")
    String table;
    @ConfigProperty(name = "kwsync.api.token")
    String token;
    /** The database the service was given (a global test resource of another class may override this class's). */
    @ConfigProperty(name = "kwsync.jdbc.url")
    String url;

    @Test
    void missingColumnsAndRefusedRowsOfTheSampleAndNothingWritten() {
        Map<String, Object> body = Map.of("table", table, "rows", List.of(
                Map.of("id", 1, "name", "Ana", "score", 25.125, "tags", List.of("a"), "coupon", "WELCOME"),
                Map.of("id", "not-a-number", "name", "Fay"),
                Map.of("id", 3, "name", "x".repeat(100))));
        given().auth().oauth2(token).contentType("application/json").body(body).post("/api/preview").then().statusCode(200)
                .body("exists", equalTo(true)).body("missingColumns", equalTo(List.of("coupon"))).body("ddl", empty())
                .body("note", containsString("KWSYNC_JDBC_AUTO_ADD_COLUMNS=false"))
                .body("refused.size()", equalTo(2))
                .body("refused[0].row", equalTo(1)).body("refused[0].reason", containsString("id"))
                .body("refused[0].reason", containsString("not-a-number"))
                .body("refused[1].row", equalTo(2)).body("refused[1].reason", containsString("name"));
        assertEquals(0, TestDatabases.count(url, table), "a preview writes nothing");
    }

    @Test
    void aMissingTableIsNamedWithWhatTheSinkDoesAboutIt() {
        given().auth().oauth2(token).contentType("application/json")
                .body(Map.of("table", table + "_absent", "rows", List.of(Map.of("id", 1)))).post("/api/preview").then().statusCode(200)
                .body("exists", equalTo(false)).body("ddl", empty()).body("missingColumns", equalTo(List.of("id")))
                .body("note", containsString("does not exist")).body("note", containsString("KWSYNC_JDBC_AUTO_CREATE_TABLE=false"));
    }

    @Test
    void badRequestsAndTheToken() {
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) tooMany.add(Map.of("id", i));
        for (Object bad : List.of(Map.of("rows", List.of(Map.of("id", 1))), Map.of("table", table, "rows", List.of()),
                Map.of("table", table, "rows", tooMany), Map.of("table", table, "rows", List.of(1)),
                Map.of("table", table, "rows", List.of(Map.of("id", 1)), "extra", true))) {
            given().auth().oauth2(token).contentType("application/json").body(bad).post("/api/preview").then().statusCode(400)
                    .body("error", equalTo("invalid_request"));
        }
        given().auth().oauth2(token).contentType("application/json").body("{not json").post("/api/preview").then().statusCode(400)
                .body("error", equalTo("invalid_json"));
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"table\": \"" + table + "\", \"rows\": [{\"name\": \"\\ud800\"}]}").post("/api/preview").then().statusCode(400)
                .body("error", equalTo("invalid_request")).body("message", containsString("rows[0]"));
        given().contentType("application/json").body(Map.of("table", table, "rows", List.of(Map.of("id", 1))))
                .post("/api/preview").then().statusCode(401);
    }
}
