package io.kwsync.sink.jdbc.job;

import io.kwsync.testing.TestDatabases;

class JdbcJobStoreMariaDbTest extends JdbcJobStoreContract {
    JdbcJobStoreMariaDbTest() {
        super(TestDatabases.mariadbUrl());
    }
}
