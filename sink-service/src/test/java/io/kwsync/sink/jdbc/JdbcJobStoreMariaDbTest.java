package io.kwsync.sink.jdbc;

import io.kwsync.testing.TestDatabases;

class JdbcJobStoreMariaDbTest extends JdbcJobStoreContract {
    JdbcJobStoreMariaDbTest() {
        super(TestDatabases.mariadbUrl());
    }
}
