package io.kwsync.model.nativeimage;

import io.kwsync.model.RowEventCodec;
import io.kwsync.testing.BuildTimeInit;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** shared-model's classes hold nothing a native build could not store after their build-time initialisation. */
class BuildTimeInitTest {

    @Test
    void sharedModelClassesHoldNoRandomThreadSocketOrFileInStaticFields() {
        assertEquals(List.of(), BuildTimeInit.problems(BuildTimeInit.classesOf(RowEventCodec.class)));
    }

    /** What the check must find: a Random in a static field, and an executor inside an object of ours. */
    static final class Offender {
        static final SecureRandom RANDOM = new SecureRandom();
        static final Holder HOLDER = new Holder();
        static final Map<String, Object> CLEAN = Map.of("a", List.of(1, "b"));
    }

    static final class Holder {
        final Object[] inside = {Executors.newSingleThreadExecutor()};
    }

    @Test
    void theCheckFindsWhatANativeBuildWouldRefuse() {
        List<String> problems = BuildTimeInit.problems(Offender.class).stream().sorted().toList();
        ((ExecutorService) Offender.HOLDER.inside[0]).shutdownNow();
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("Offender.HOLDER.inside[0] holds a "), problems.get(0));
        assertTrue(problems.get(1).contains("Offender.RANDOM holds a java.security.SecureRandom"), problems.get(1));
    }
}
