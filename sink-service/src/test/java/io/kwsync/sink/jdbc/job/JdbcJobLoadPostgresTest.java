package io.kwsync.sink.jdbc.job;

import io.kwsync.testing.TestDatabases;

class JdbcJobLoadPostgresTest extends JdbcJobLoadContract {
    JdbcJobLoadPostgresTest() {
        super(TestDatabases.postgresUrl());
    }
}
