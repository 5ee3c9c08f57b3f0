package io.kwsync.runtime.nativeimage;

import io.kwsync.runtime.kafka.KafkaSecurity;
import io.kwsync.testing.BuildTimeInit;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Quarkus native build initialises shared-runtime's classes at build time and stores what their static fields hold
 * in the executable: none may hold a Random, thread, executor, socket or open file (see {@link BuildTimeInit}).
 */
class BuildTimeInitTest {

    @Test
    void sharedRuntimeClassesHoldNoRandomThreadSocketOrFileInStaticFields() {
        assertEquals(List.of(), BuildTimeInit.problems(BuildTimeInit.classesOf(KafkaSecurity.class)));
    }
}
