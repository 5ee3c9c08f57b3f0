package io.kwsync.sink;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The sink on MariaDB, the local stand-in for AnalyticDB for MySQL. */
@QuarkusTest
@WithTestResource(value = SinkTopicsResource.class, initArgs = @ResourceArg(name = "db", value = "mariadb"))
class MariaDbSinkTest extends JdbcSinkTestBase {
}
