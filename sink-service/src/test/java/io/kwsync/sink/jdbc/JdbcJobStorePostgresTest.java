package io.kwsync.sink.jdbc;

import io.kwsync.testing.TestDatabases;

class JdbcJobStorePostgresTest extends JdbcJobStoreContract {
    JdbcJobStorePostgresTest() {
        super(TestDatabases.postgresUrl());
    }
}
