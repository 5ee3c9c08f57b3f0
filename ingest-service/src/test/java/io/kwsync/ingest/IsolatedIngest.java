package io.kwsync.ingest;

import io.quarkus.test.junit.QuarkusTestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * Base of @QuarkusTests that run ingest-service with settings of their own, on a connector and topics of their own
 * ({@link ProfileTopicsResource}); the global test resource of the other tests is left out.
 */
abstract class IsolatedIngest {

    /** A test profile: the settings (plus "partitions" of the source topic) in {@link #settings()}. */
    abstract static class Profile implements QuarkusTestProfile {

        abstract Map<String, String> settings();

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ProfileTopicsResource.class, settings()));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** RestAssured path to the data of the dirty-records health check. */
    static final String DIRTY = "checks.find { it.name == 'dirty-records' }.data.";

    @ConfigProperty(name = "kwsync.source.topics")
    String source;
    @ConfigProperty(name = "kwsync.rows.topic")
    String rowsTopic;
    @ConfigProperty(name = "kwsync.error.topic")
    String errorTopic;
    @ConfigProperty(name = "kwsync.connector.name")
    String connector;
}
