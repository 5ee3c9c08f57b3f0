package io.kwsync.sink.jdbc.job;

import io.kwsync.testing.TestDatabases;

class JdbcJobLoadMariaDbTest extends JdbcJobLoadContract {
    JdbcJobLoadMariaDbTest() {
        super(TestDatabases.mariadbUrl());
    }
}
