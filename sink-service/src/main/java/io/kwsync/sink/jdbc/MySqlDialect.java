package io.kwsync.sink.jdbc;

/** MySQL protocol: AnalyticDB for MySQL, MySQL, MariaDB. */
public final class MySqlDialect implements SqlDialect {

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String driverClass() {
        return "com.mysql.cj.jdbc.Driver";
    }

    @Override
    public String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    @Override
    public String insertMissingProgress(String table, int rows) {
        StringBuilder sb = new StringBuilder("INSERT IGNORE INTO ").append(quote(table))
                .append(" (connector_name, source_topic, source_partition, next_offset) VALUES ");
        for (int i = 0; i < rows; i++) sb.append(i == 0 ? "" : ",").append("(?,?,?,0)");
        return sb.toString();
    }

    @Override
    public String createProgressTable(String table) {
        return "CREATE TABLE IF NOT EXISTS " + quote(table) + " ("
                + "connector_name VARCHAR(64) NOT NULL, "
                + "source_topic VARCHAR(249) NOT NULL, "
                + "source_partition INT NOT NULL, "
                + "next_offset BIGINT NOT NULL, "
                + "updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, "
                + "PRIMARY KEY (connector_name, source_topic, source_partition))";
    }

    @Override
    public int maxParameters() {
        return 65_535;
    }
}
