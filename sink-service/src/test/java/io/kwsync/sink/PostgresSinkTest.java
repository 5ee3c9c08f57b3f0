package io.kwsync.sink;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The sink on PostgreSQL, the local stand-in for AnalyticDB for PostgreSQL. */
@QuarkusTest
@WithTestResource(value = SinkTopicsResource.class, initArgs = @ResourceArg(name = "db", value = "postgresql"))
class PostgresSinkTest extends JdbcSinkTestBase {
}
