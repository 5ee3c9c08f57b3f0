package io.kwsync.sink.jdbc;

/**
 * What differs between the SQL databases the JDBC sink writes to. Chosen from the JDBC URL by {@link #forUrl}.
 * Identifiers reaching SQL text always pass through {@link #quote}.
 */
public interface SqlDialect {

    String name();

    /** The JDBC driver class, named explicitly so native images need no driver discovery. */
    String driverClass();

    /** Quotes one identifier, doubling any quote character inside it. */
    String quote(String identifier);

    /** Adds the given number of progress rows (connector, topic, partition) with next_offset 0 unless present. */
    String insertMissingProgress(String table, int rows);

    /** Reads and locks the progress rows of the given number of (topic, partition) pairs of one connector. */
    default String lockProgress(String table, int pairs) {
        StringBuilder sb = new StringBuilder("SELECT source_topic, source_partition, next_offset FROM ")
                .append(quote(table)).append(" WHERE connector_name = ? AND (");
        for (int i = 0; i < pairs; i++) sb.append(i == 0 ? "" : " OR ").append("(source_topic = ? AND source_partition = ?)");
        return sb.append(") FOR UPDATE").toString();
    }

    default String updateProgress(String table) {
        return "UPDATE " + quote(table) + " SET next_offset = ?, updated_at = CURRENT_TIMESTAMP"
                + " WHERE connector_name = ? AND source_topic = ? AND source_partition = ?";
    }

    String createProgressTable(String table);

    /** Most bind parameters one statement may carry. */
    int maxParameters();

    static SqlDialect forUrl(String url) {
        if (url.startsWith("jdbc:mysql:")) return new MySqlDialect();
        throw new IllegalArgumentException("no SQL dialect for JDBC URL scheme of " + url.replaceAll("\\?.*", ""));
    }
}
