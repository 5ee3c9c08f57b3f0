package io.kwsync.sink.jdbc;

import io.kwsync.sink.jdbc.ProgressStore.SourcePartition;
import io.kwsync.sink.jdbc.dialect.SqlDialect;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Notes that refusals of a source partition may be on their way to the error topic, so that they are published once
 * whatever fails between publishing and committing. Table {@code <progress table>_dl}: per connector and source
 * partition, the error topic's mark taken before the first attempt that published refusals of it, and the highest
 * source offset such an attempt refused.
 *
 * <p>Why each refused row reaches the error topic exactly once: a note is committed on a connection of its own before
 * its refusals are published ({@link #note}), and deleted by the batch transaction that moves the partition's progress
 * past its offset ({@link #clear}). A batch that publishes refusals and then fails (a retry, kill -9, a lost
 * connection) leaves its note, so the next attempt on those rows finds it and the error topic is read back from the
 * mark: refusals already there are skipped. A batch that commits removes the note with the same commit that makes the
 * progress skip those rows for good, so nothing can publish them again. The progress row lock the batch transaction
 * holds keeps two replicas from noting the same partition at once.
 */
final class DeadLetterMarks {

    private final SqlDialect dialect;
    private final String table;
    private final String connector;
    /** Partitions this process noted, with the highest offset noted: cleared when progress passes it. */
    private final Map<SourcePartition, Long> noted = new ConcurrentHashMap<>();
    /** Partitions seen since start; a note left by another process is cleared on the first batch of its partition. */
    private final Set<SourcePartition> seen = ConcurrentHashMap.newKeySet();

    DeadLetterMarks(SqlDialect dialect, String progressTable, String connector) {
        this.dialect = dialect;
        this.table = dialect.quote(tableName(progressTable));
        this.connector = connector;
    }

    /** The table beside the progress table. */
    static String tableName(String progressTable) {
        return progressTable + "_dl";
    }

    void createTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " (connector_name VARCHAR(64) NOT NULL,"
                    + " source_topic VARCHAR(249) NOT NULL, source_partition INTEGER NOT NULL, since_mark "
                    + dialect.longTextType() + " NOT NULL, through_offset BIGINT NOT NULL,"
                    + " PRIMARY KEY (connector_name, source_topic, source_partition))");
        }
    }

    /**
     * Commits a note for each partition, on a connection of its own, before their refusals are published. @return the
     * marks of notes that were there already (earlier attempts that may have published some of these refusals)
     *
     * @param through per partition, the highest source offset about to be refused
     */
    List<String> note(DataSource ds, Map<SourcePartition, Long> through, String mark) throws SQLException {
        List<String> earlier = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            for (Map.Entry<SourcePartition, Long> p : through.entrySet()) {
                String sql;
                try (PreparedStatement ps = c.prepareStatement("SELECT since_mark, through_offset FROM " + table
                        + " WHERE connector_name = ? AND source_topic = ? AND source_partition = ?")) {
                    bind(ps, 1, p.getKey());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            earlier.add(rs.getString(1));
                            noted.merge(p.getKey(), rs.getLong(2), Math::max);
                            if (rs.getLong(2) >= p.getValue()) continue;
                            sql = "UPDATE " + table + " SET through_offset = ? WHERE connector_name = ? AND source_topic = ?"
                                    + " AND source_partition = ?";
                        } else {
                            sql = null;
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(sql != null ? sql : "INSERT INTO " + table
                        + " (through_offset, connector_name, source_topic, source_partition, since_mark) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setLong(1, p.getValue());
                    bind(ps, 2, p.getKey());
                    if (sql == null) ps.setString(5, mark);
                    ps.executeUpdate();
                }
                noted.merge(p.getKey(), p.getValue(), Math::max);
            }
        }
        return earlier;
    }

    /**
     * In the batch transaction, before its commit: deletes the notes of the partitions whose progress moves past their
     * offset. Asks only about partitions noted here or not seen since start, so a batch without refusals costs nothing.
     *
     * @param next per partition, the progress the transaction commits (the next offset to write)
     */
    void clear(Connection c, Map<SourcePartition, Long> next) throws SQLException {
        List<Map.Entry<SourcePartition, Long>> due = new ArrayList<>();
        for (Map.Entry<SourcePartition, Long> p : next.entrySet()) {
            if (noted.containsKey(p.getKey()) || !seen.contains(p.getKey())) due.add(p);
        }
        if (due.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                + " WHERE through_offset < ? AND connector_name = ? AND source_topic = ? AND source_partition = ?")) {
            for (Map.Entry<SourcePartition, Long> p : due) {
                ps.setLong(1, p.getValue());
                bind(ps, 2, p.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** After the batch transaction committed {@code next}: forgets the notes it deleted. */
    void committed(Map<SourcePartition, Long> next) {
        Set<SourcePartition> done = new HashSet<>();
        next.forEach((p, offset) -> {
            seen.add(p);
            Long through = noted.get(p);
            if (through != null && through < offset) done.add(p);
        });
        done.forEach(noted::remove);
    }

    private void bind(PreparedStatement ps, int from, SourcePartition p) throws SQLException {
        ps.setString(from, connector);
        ps.setString(from + 1, p.topic());
        ps.setInt(from + 2, p.partition());
    }
}
