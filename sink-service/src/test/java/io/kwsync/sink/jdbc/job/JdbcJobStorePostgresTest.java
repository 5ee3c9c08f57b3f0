package io.kwsync.sink.jdbc.job;

import io.kwsync.testing.TestDatabases;

class JdbcJobStorePostgresTest extends JdbcJobStoreContract {
    JdbcJobStorePostgresTest() {
        super(TestDatabases.postgresUrl());
    }
}
