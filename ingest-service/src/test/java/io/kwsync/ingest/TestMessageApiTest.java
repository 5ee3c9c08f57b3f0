package io.kwsync.ingest;

import io.kwsync.testing.TestKafka;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * POST /api/test-messages needs the bearer token; with it the message lands on the source topic. Runs in an
 * application of its own (own profile: IngestTopicsResource starts again with a fresh connector and source topic),
 * so its messages never reach the counters other tests assert.
 */
@QuarkusTest
@QuarkusTestResource(IngestTopicsResource.class)
@TestProfile(TestMessageApiTest.OwnApplication.class)
class TestMessageApiTest {

    public static class OwnApplication implements QuarkusTestProfile {
    }

    @ConfigProperty(name = "kwsync.source.topics")
    String source;
    @ConfigProperty(name = "kwsync.api.token")
    String token;
    @TestHTTPResource("/")
    URL root;

    static final String BODY = "{\"key\":\"demo\",\"value\":{\"key\":\"test\"},\"partition\":2,\"headers\":{\"trace\":\"t-1\"}}";

    @Test
    void refusedWithoutTheToken() {
        given().contentType(ContentType.JSON).body(BODY).post("/api/test-messages").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"kwsync\"")
                .body("error", equalTo("unauthorized")).body("message", containsString("missing bearer token"));
    }

    @Test
    void refusedWithAWrongToken() {
        given().contentType(ContentType.JSON).auth().oauth2(token + "-wrong").body(BODY).post("/api/test-messages")
                .then().statusCode(401).header("WWW-Authenticate", containsString("error=\"invalid_token\""))
                .body("message", equalTo("invalid bearer token"));
        given().contentType(ContentType.JSON).header("Authorization", "Basic " + token).body(BODY).post("/api/test-messages")
                .then().statusCode(401);
    }

    @Test
    void pathTricksDoNotBypassTheFilter() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of("//api/test-messages", "/api/./test-messages", "/q/health/../../api/test-messages",
                "/api;x=1/test-messages", "/%61pi/test-messages", "/api/test-messages/")) {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BODY)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), path + " -> " + r.body());
        }
    }

    @Test
    void acceptedWithTheTokenAndTheMessageLandsOnTheSourceTopic() {
        int offset = given().contentType(ContentType.JSON).auth().oauth2(token).body(BODY).post("/api/test-messages")
                .then().statusCode(200)
                .body("topic", equalTo(source)).body("partition", equalTo(2)).body("offset", greaterThanOrEqualTo(0))
                .extract().path("offset");
        ConsumerRecord<byte[], byte[]> r = TestKafka.read(source, 1, Duration.ofSeconds(30)).stream()
                .filter(c -> c.partition() == 2 && c.offset() == offset).findFirst().orElseThrow();
        assertArrayEquals("demo".getBytes(StandardCharsets.UTF_8), r.key());
        assertEquals("{\"key\":\"test\"}", new String(r.value(), StandardCharsets.UTF_8));
        assertEquals("t-1", new String(r.headers().lastHeader("trace").value(), StandardCharsets.UTF_8));

        String text = given().contentType(ContentType.JSON).auth().oauth2(token).body(Map.of("value", "plain text"))
                .post("/api/test-messages").then().statusCode(200).extract().asString();
        assertNotEquals("", text);
    }

    @Test
    void badRequestsAreExplained() {
        given().contentType(ContentType.JSON).auth().oauth2(token).body("{\"key\":\"k\"}").post("/api/test-messages")
                .then().statusCode(400).body("message", equalTo("\"value\" is required"));
        given().contentType(ContentType.JSON).auth().oauth2(token).body("{\"value\":\"v\",\"partition\":7}")
                .post("/api/test-messages").then().statusCode(400).body("message", containsString("between 0 and 2"));
        given().contentType(ContentType.JSON).auth().oauth2(token).body("{\"value\":\"v\",\"topic\":\"elsewhere\"}")
                .post("/api/test-messages").then().statusCode(400).body("message", containsString("must be a source topic"));
        given().contentType(ContentType.JSON).auth().oauth2(token).body("{\"value\":\"v\",\"partiton\":1}")
                .post("/api/test-messages").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("message", equalTo("unknown field \"partiton\" (known fields: headers, key, partition, topic, value)"));
        given().contentType(ContentType.JSON).auth().oauth2(token).body("{\"value\":\"v\",\"partition\":\"two\"}")
                .post("/api/test-messages").then().statusCode(400)
                .body("message", equalTo("field \"partition\" must be a whole number, got \"two\""));
        given().contentType(ContentType.JSON).auth().oauth2(token).body("{\"value\":").post("/api/test-messages")
                .then().statusCode(400).body("error", equalTo("invalid_json"));
    }

    /** getBytes(UTF_8) would send "x?y": each text field with a lone surrogate is refused instead. */
    @Test
    void textKafkaCannotCarryIsRefusedNotAltered() {
        for (String body : List.of("{\"value\":\"x\\ud800y\"}", "{\"value\":{\"a\":\"x\\ud800y\"}}",
                "{\"value\":\"v\",\"key\":\"k\\udc00\"}", "{\"value\":\"v\",\"headers\":{\"h\":\"\\ud800\"}}",
                "{\"value\":\"v\",\"headers\":{\"h\\ud800\":\"x\"}}")) {
            // in a field name Jackson itself refuses it as malformed JSON; elsewhere the services' strict reading does
            given().contentType(ContentType.JSON).auth().oauth2(token).body(body).post("/api/test-messages")
                    .then().statusCode(400).body("message", containsString("surrogate"));
        }
    }

    /** Over the producer's limit is the client's mistake (413), not Kafka being away (503). */
    @Test
    void aMessageOverTheProducerLimitIs413() {
        String big = "x".repeat(2 * 1024 * 1024);
        given().contentType(ContentType.JSON).auth().oauth2(token).body(Map.of("value", big)).post("/api/test-messages")
                .then().statusCode(413).body("error", equalTo("message_too_large"))
                .body("message", startsWith("the message is too large for Kafka"));
    }

    @Test
    void unknownPathsAndMethodsAreJson() {
        given().auth().oauth2(token).get("/api/nothing").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not_found"));
        given().auth().oauth2(token).get("/api/test-messages").then().statusCode(405).contentType(ContentType.JSON)
                .body("error", equalTo("method_not_allowed"));
        given().auth().oauth2(token).get("/").then().statusCode(404).contentType(ContentType.JSON);
    }

    @Test
    void healthAndMetricsNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("kwsync_records_consumed_total"));
    }
}
