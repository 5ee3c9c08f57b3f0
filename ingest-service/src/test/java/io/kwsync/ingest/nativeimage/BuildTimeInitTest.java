package io.kwsync.ingest.nativeimage;

import io.kwsync.ingest.config.IngestConfig;
import io.kwsync.testing.BuildTimeInit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Quarkus native build initialises ingest-service's classes at build time and stores what their static fields hold
 * in the executable: none may hold a Random, thread, executor, socket or open file (see {@link BuildTimeInit}).
 */
class BuildTimeInitTest {

    @Test
    void ingestClassesHoldNoRandomThreadSocketOrFileInStaticFields() {
        assertEquals(List.of(), BuildTimeInit.problems(BuildTimeInit.classesOf(IngestConfig.class)));
    }
}
