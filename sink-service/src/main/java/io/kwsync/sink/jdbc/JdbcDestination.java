package io.kwsync.sink.jdbc;

import io.agroal.api.AgroalDataSource;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.sink.DestinationPreview;
import io.kwsync.sink.config.DestinationCheck;
import io.kwsync.sink.config.SinkConfig;
import io.kwsync.sink.health.DestinationHealth;
import io.kwsync.sink.jdbc.job.JdbcRunStore;
import io.kwsync.sink.jdbc.job.JdbcStaging;
import io.kwsync.sink.job.JobLoadStore;
import io.kwsync.sink.job.JobRuns;
import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * The JDBC destination (KWSYNC_SINK_TYPE=jdbc: AnalyticDB for MySQL / PostgreSQL, MySQL, MariaDB, PostgreSQL): its
 * parts as beans named {@value #TYPE}, which {@code Destinations} picks when the type names it. Nothing is created
 * unless it is picked: the check reads the settings at start, the sink connects at start, the job store on the first
 * job item.
 */
@ApplicationScoped
public class JdbcDestination {

    static final String TYPE = "jdbc";
    private static final Logger LOG = Logger.getLogger(JdbcDestination.class);

    private final JdbcConfig config;
    private final String connector;
    private volatile JdbcSettings settings;

    public JdbcDestination(JdbcConfig config, SinkConfig sink) {
        this.config = config;
        this.connector = sink.connector().name().orElse("");
    }

    @Produces
    @Identifier(TYPE)
    @Singleton
    @Unremovable
    DestinationCheck check() {
        return problems -> settings = JdbcSettings.read(config, connector, problems);
    }

    /** The settings the check read (read here if it did not run, as in a test that builds no service). */
    private JdbcSettings settings() {
        if (settings == null) {
            var problems = new InvalidConfigurationException.Collector();
            settings = JdbcSettings.read(config, connector, problems);
            problems.throwIfAny();
        }
        return settings;
    }

    /** Singleton, not proxied: picking it connects, so a wrong password or database stops the start. */
    @Produces
    @Identifier(TYPE)
    @Singleton
    @Unremovable
    JdbcRowSink rowSink(Clock clock) {
        JdbcSettings s = settings();
        AgroalDataSource ds = JdbcDataSources.open(s, s.poolSize());
        JdbcRowSink sink = new JdbcRowSink(ds, s.dialect(), s.sinkOptions(), clock);
        try {
            sink.prepare();
            LOG.infof("JDBC sink ready: %s database at %s", s.dialect().name(), JdbcDataSources.redact(s.url()));
        } catch (SQLException e) {
            if (s.dialect().errors().isLoginRefused(e)) {
                ds.close();
                throw new InvalidConfigurationException(List.of(
                        "KWSYNC_JDBC_USER / KWSYNC_JDBC_PASSWORD: the database refused the login: " + e.getMessage()));
            }
            if (s.dialect().errors().isUnknownDatabase(e)) {
                ds.close();
                throw new InvalidConfigurationException(List.of(
                        "KWSYNC_JDBC_URL (kwsync.jdbc.url): the database does not exist: " + e.getMessage()));
            }
            // Not reachable yet: start anyway, report not-ready, and prepare on the first write.
            LOG.warnf("database at %s not usable yet (%s); will retry", JdbcDataSources.redact(s.url()), e.getMessage());
        }
        return sink;
    }

    /** The mapping preview's destination side (GET /api/preview of sink-service), on the streaming sink's pool. */
    @Produces
    @Identifier(TYPE)
    @Singleton
    @Unremovable
    DestinationPreview preview(@Identifier(TYPE) JdbcRowSink sink) {
        return sink.preview();
    }

    void close(@Disposes @Identifier(TYPE) JdbcRowSink sink) {
        sink.close();
    }

    /** Window jobs, with a small pool of their own so job loads never wait behind streaming writes for a connection. */
    @Produces
    @Identifier(TYPE)
    @ApplicationScoped
    @Unremovable
    JobLoadStore jobs(Clock clock) {
        JdbcSettings s = settings();
        AgroalDataSource ds = JdbcDataSources.open(s, Math.min(2, s.poolSize()));
        return new JobRuns<>(new JdbcRunStore(ds, s.dialect(), s.connector()),
                new JdbcStaging(ds, s.dialect(), s.timeZone(), s.bulkLoad(), clock), clock);
    }

    void close(@Disposes @Identifier(TYPE) JobLoadStore jobs) {
        jobs.close();
    }

    @Produces
    @Identifier(TYPE)
    @Singleton
    @Unremovable
    DestinationHealth health(@Identifier(TYPE) JdbcRowSink sink) {
        String url = settings().url();
        return new DestinationHealth() {
            @Override
            public String description() {
                return url;
            }

            @Override
            public boolean reachable() {
                return sink.isReachable();
            }
        };
    }
}
