package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.exceptionsorter.MySQLExceptionSorter;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.sink.config.SinkConfig;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;

/** Builds the JDBC sink from configuration: dialect from the URL, a connection pool, the progress table. */
public final class JdbcSinks {

    private static final Logger LOG = Logger.getLogger(JdbcSinks.class);

    private JdbcSinks() {
    }

    public static JdbcRowSink create(SinkConfig config, Clock clock) {
        SinkConfig.Jdbc jdbc = config.jdbc();
        String url = jdbc.url().orElseThrow();
        SqlDialect dialect = SqlDialect.forUrl(url);
        AgroalDataSource ds = dataSource(url, jdbc.user().orElse(null), password(jdbc), jdbc.poolSize(), dialect);
        JdbcRowSink sink = new JdbcRowSink(ds, dialect, options(config), clock);
        try {
            sink.prepare();
            LOG.infof("JDBC sink ready: %s database at %s", dialect.name(), redact(url));
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("28")) {
                ds.close();
                throw new InvalidConfigurationException(java.util.List.of(
                        "KWSYNC_JDBC_USER / KWSYNC_JDBC_PASSWORD: the database refused the login: " + e.getMessage()));
            }
            if (e.getErrorCode() == 1049 || "3D000".equals(state)) {
                ds.close();
                throw new InvalidConfigurationException(java.util.List.of(
                        "KWSYNC_JDBC_URL (kwsync.jdbc.url): the database does not exist: " + e.getMessage()));
            }
            // Not reachable yet: start anyway, report not-ready, and prepare on the first write.
            LOG.warnf("database at %s not usable yet (%s); will retry", redact(url), e.getMessage());
        }
        return sink;
    }

    static JdbcRowSink.Options options(SinkConfig config) {
        SinkConfig.Jdbc jdbc = config.jdbc();
        return new JdbcRowSink.Options(config.connector().name().orElseThrow(), jdbc.progressTable(), jdbc.writeMode(),
                ZoneId.of(jdbc.timeZone()), jdbc.autoCreateTable(), jdbc.autoAddColumns(), jdbc.bulkLoad());
    }

    static String password(SinkConfig.Jdbc jdbc) {
        if (jdbc.passwordFile().isPresent()) {
            try {
                String text = Files.readString(Path.of(jdbc.passwordFile().get()), StandardCharsets.UTF_8);
                return text.lines().findFirst().orElse("");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read KWSYNC_JDBC_PASSWORD_FILE", e);
            }
        }
        return jdbc.password().orElse(null);
    }

    static AgroalDataSource dataSource(String url, String user, String password, int poolSize, SqlDialect dialect) {
        AgroalDataSourceConfigurationSupplier cfg = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(0).minSize(0).maxSize(poolSize)
                        .acquisitionTimeout(Duration.ofSeconds(10))
                        .validationTimeout(Duration.ofSeconds(30))
                        // a connection that failed with a connection error (the database restarted, the network cut it)
                        // leaves the pool instead of failing every later attempt
                        .exceptionSorter(dialect instanceof PostgresDialect
                                ? new PostgreSQLExceptionSorter() : new MySQLExceptionSorter())
                        .connectionFactoryConfiguration(f -> {
                            f.jdbcUrl(url).connectionProviderClassName(dialect.driverClass()).loginTimeout(Duration.ofSeconds(5));
                            // negotiates LOAD DATA LOCAL for the bulk load without letting a server read any local file
                            if (dialect instanceof MySqlDialect) f.jdbcProperty("allowLoadLocalInfileInPath", MySqlBulkLoader.NO_LOCAL_FILES);
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
