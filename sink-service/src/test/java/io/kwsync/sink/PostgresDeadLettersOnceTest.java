package io.kwsync.sink;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Dead letters once, on PostgreSQL, with an error topic created beforehand that takes at most 1 MiB per record. */
@QuarkusTest
@WithTestResource(value = SinkTopicsResource.class, initArgs = {@ResourceArg(name = "db", value = "postgresql"),
        @ResourceArg(name = "retry", value = "fast"), @ResourceArg(name = "progress", value = "own"),
        @ResourceArg(name = "error-max-bytes", value = "1048576")})
class PostgresDeadLettersOnceTest extends DeadLettersOnceTestBase {

    @Override
    boolean takesBigLetters() {
        return false;
    }
}
