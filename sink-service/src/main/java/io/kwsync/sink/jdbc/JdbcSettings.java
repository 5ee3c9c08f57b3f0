package io.kwsync.sink.jdbc;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.runtime.config.JdbcUrls;
import io.kwsync.runtime.config.SecretFiles;
import io.kwsync.sink.jdbc.JdbcConfig.JdbcWriteMode;
import io.kwsync.sink.jdbc.dialect.SqlDialect;

import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The JDBC destination's configuration, read once at start and validated: the dialect chosen from the URL, the
 * password read from its file, the time zone parsed. Every problem names its variable ({@link #read}); the sink, its
 * job store and its health check take these values and never read the configuration again.
 *
 * @param password null when none is set (the database may not need one)
 */
record JdbcSettings(String connector, String url, SqlDialect dialect, String user, String password, int poolSize,
                           String progressTable, JdbcWriteMode writeMode, ZoneId timeZone, boolean autoCreateTable,
                           boolean autoAddColumns, boolean bulkLoad, int autoColumnsMax, int schemaCacheSize,
                           String versionColumn, JdbcConfig.VersionSource versionSource) {

    /** The settings, or null with every problem added to {@code problems}. */
    static JdbcSettings read(JdbcConfig c, String connector, InvalidConfigurationException.Collector problems) {
        boolean ok = true;
        String url = c.url().orElse("");
        SqlDialect dialect = null;
        if (url.isEmpty()) {
            ok = false;
            problems.problem("kwsync.jdbc.url", "is required when KWSYNC_SINK_TYPE is jdbc, e.g. jdbc:mysql://host:3306/db");
        } else if (SqlDialect.URL_PREFIXES.stream().noneMatch(url::startsWith)) {
            ok = false;
            problems.problem("kwsync.jdbc.url", "must start with " + String.join(" or ", SqlDialect.URL_PREFIXES));
        } else {
            dialect = SqlDialect.forUrl(url);
        }
        String password = c.password().orElse(null);
        if (c.passwordFile().isPresent()) {
            String file = c.passwordFile().get();
            if (SecretFiles.readable(file)) {
                password = SecretFiles.firstLine(c.password(), c.passwordFile(), "kwsync.jdbc.password-file").orElse("");
            } else {
                ok = false;
                problems.problem("kwsync.jdbc.password-file", "names a file that does not exist or cannot be read: " + file);
            }
        }
        ok &= check(problems, c.poolSize() >= 2, "kwsync.jdbc.pool-size",
                "must be at least 2 (while one connection writes a batch, another notes the rows it refuses)");
        ok &= check(problems, c.autoColumnsMax() >= 1, "kwsync.jdbc.auto-columns-max", "must be at least 1");
        ok &= check(problems, c.schemaCacheSize() >= 1, "kwsync.jdbc.schema-cache-size", "must be at least 1");
        ok &= check(problems, c.progressTable().matches("[A-Za-z_][A-Za-z0-9_]{0,59}"), "kwsync.jdbc.progress-table",
                "must be a plain identifier (letters, digits, underscore; at most 60, leaving room for the table "
                        + DeadLetterMarks.tableName("<name>") + " beside it)");
        String version = c.versionColumn().map(String::trim).filter(v -> !v.isEmpty()).orElse(null);
        ok &= check(problems, version == null || c.writeMode() == JdbcWriteMode.UPSERT, "kwsync.jdbc.version-column",
                "needs KWSYNC_JDBC_WRITE_MODE=upsert: a version decides whether a row replaces the row of its key");
        ok &= check(problems, version != null || c.versionSource() == JdbcConfig.VersionSource.COLUMN, "kwsync.jdbc.version-source",
                "needs KWSYNC_JDBC_VERSION_COLUMN: the column the source record's " + c.versionSource().name().toLowerCase(java.util.Locale.ROOT)
                        + " is written to and compared in");
        ZoneId zone = zone(c.timeZone());
        ok &= check(problems, zone != null, "kwsync.jdbc.time-zone",
                "'" + c.timeZone() + "' is not a time zone (use e.g. UTC, +08:00 or Asia/Shanghai)");
        ok &= check(problems, !hasPassword(url), "kwsync.jdbc.url",
                "must not carry a password: set KWSYNC_JDBC_PASSWORD or KWSYNC_JDBC_PASSWORD_FILE instead");
        if (!ok) return null;
        return new JdbcSettings(connector, url, dialect, c.user().orElse(null), password, c.poolSize(), c.progressTable(),
                c.writeMode(), zone, c.autoCreateTable(), c.autoAddColumns(), c.bulkLoad(), c.autoColumnsMax(),
                c.schemaCacheSize(), version, c.versionSource());
    }

    /** What the streaming sink is told. */
    JdbcRowSink.Options sinkOptions() {
        return new JdbcRowSink.Options(connector, progressTable, writeMode, timeZone, autoCreateTable, autoAddColumns, bulkLoad,
                autoColumnsMax, schemaCacheSize, versionColumn, versionSource);
    }

    private static boolean check(InvalidConfigurationException.Collector problems, boolean ok, String property, String message) {
        problems.check(ok, property, message);
        return ok;
    }

    private static ZoneId zone(String zone) {
        try {
            return ZoneId.of(zone);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** A password in the URL (user:secret@host, or a password property) would end up wherever the URL is shown. */
    static boolean hasPassword(String url) {
        return JdbcUrls.hasPassword(url);
    }

    @Override
    public String toString() {
        return "JdbcSettings[" + JdbcDataSources.redact(url) + ", user=" + user + ", password=" + (password == null ? "none" : "***")
                + ", pool=" + poolSize + ", " + writeMode + "]";
    }
}
