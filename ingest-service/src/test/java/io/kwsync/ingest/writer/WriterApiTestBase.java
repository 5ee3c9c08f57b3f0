package io.kwsync.ingest.writer;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;

/**
 * What the Quarkus tests of writer mode share: the job's names as the test resources configured them, the API token on
 * every request, and a profile base that runs the writer over a fresh MariaDB table without the global resources.
 */
abstract class WriterApiTestBase extends io.kwsync.ingest.BearerTokenTest {

    @ConfigProperty(name = "kwsync.connector.name")
    String connector;
    @ConfigProperty(name = "kwsync.writer.topic")
    String topic;
    @ConfigProperty(name = "kwsync.writer.source.table")
    String table;

    /** The run as the job API shows it now. */
    JsonPath run(String id) {
        return given().get("/api/jobs/" + connector + "/runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Writer mode reading a MariaDB table of the given columns ({@link WriterTablesResource}), plus the overrides. */
    abstract static class TableProfile implements QuarkusTestProfile {

        private final String columns;
        private final Map<String, String> overrides;

        TableProfile(String columns, Map<String, String> overrides) {
            this.columns = columns;
            this.overrides = overrides;
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> all = new HashMap<>(overrides);
            all.put("kwsync.ingest.mode", "writer");
            return all;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(WriterTablesResource.class, Map.of("columns", columns)));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }
}
