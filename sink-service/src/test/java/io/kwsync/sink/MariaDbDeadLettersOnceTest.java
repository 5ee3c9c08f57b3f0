package io.kwsync.sink;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Dead letters once, on MariaDB, with an error topic that takes records of up to 64 MiB (as the sink creates it). */
@QuarkusTest
@WithTestResource(value = SinkTopicsResource.class, initArgs = {@ResourceArg(name = "db", value = "mariadb"),
        @ResourceArg(name = "retry", value = "fast"), @ResourceArg(name = "progress", value = "own")})
class MariaDbDeadLettersOnceTest extends DeadLettersOnceTestBase {

    @Override
    boolean takesBigLetters() {
        return true;
    }
}
