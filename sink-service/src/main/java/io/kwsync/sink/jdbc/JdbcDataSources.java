package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.kwsync.sink.jdbc.dialect.SqlDialect;

import java.sql.SQLException;
import java.time.Duration;

/**
 * Connection pools to the destination database, built in code from the validated settings (not a Quarkus datasource,
 * whose URL would be fixed at build time). Each pool waits at most 10 seconds for a connection and 5 for a login.
 */
public final class JdbcDataSources {

    private JdbcDataSources() {
    }

    static AgroalDataSource open(JdbcSettings s, int poolSize) {
        return open(s.url(), s.user(), s.password(), poolSize, s.dialect());
    }

    public static AgroalDataSource open(String url, String user, String password, int poolSize, SqlDialect dialect) {
        AgroalDataSourceConfigurationSupplier cfg = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(0).minSize(0).maxSize(poolSize)
                        .acquisitionTimeout(Duration.ofSeconds(10))
                        .validationTimeout(Duration.ofSeconds(30))
                        // a connection that failed with a connection error (the database restarted, the network cut it)
                        // leaves the pool instead of failing every later attempt
                        .exceptionSorter(dialect.exceptionSorter())
                        .connectionFactoryConfiguration(f -> {
                            f.jdbcUrl(url).connectionProviderClassName(dialect.driverClass()).loginTimeout(Duration.ofSeconds(5));
                            dialect.driverProperties().forEach(f::jdbcProperty);
                            if (user != null) f.principal(new NamePrincipal(user));
                            if (password != null) f.credential(new SimplePassword(password));
                            return f;
                        }));
        try {
            return AgroalDataSource.from(cfg);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the connection pool for " + redact(url), e);
        }
    }

    /** The URL without query parameters, which may hold credentials. */
    public static String redact(String url) {
        int q = url.indexOf('?');
        String base = q < 0 ? url : url.substring(0, q) + "?...";
        return base.replaceAll("//[^/@]*@", "//***@");
    }
}
