package io.kwsync.sink.jdbc;

import io.kwsync.model.RowEvent;
import io.kwsync.sink.jdbc.dialect.SqlDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per source partition, the next source offset the destination still needs, stored in the destination database and
 * updated in the same transaction as the rows. Reading it locks the rows, so two sink instances that briefly own the
 * same partition during a rebalance cannot both write the same records.
 */
final class ProgressStore {

    /** A source partition. */
    record SourcePartition(String topic, int partition) {
        /** Whether the row came from this partition (rows of a batch come in runs of one partition). */
        boolean holds(RowEvent row) {
            return partition == row.origin().partition() && topic.equals(row.origin().topic());
        }
    }

    private final SqlDialect dialect;
    private final String table;
    private final String connector;

    ProgressStore(SqlDialect dialect, String table, String connector) {
        this.dialect = dialect;
        this.table = table;
        this.connector = connector;
    }

    void createTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(dialect.createProgressTable(table));
        }
    }

    /** Locks and returns next_offset for each partition (0 for one never seen). Call inside the transaction. */
    Map<SourcePartition, Long> lock(Connection c, List<SourcePartition> partitions) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.insertMissingProgress(table, partitions.size()))) {
            int i = 1;
            for (SourcePartition p : partitions) {
                ps.setString(i++, connector);
                ps.setString(i++, p.topic());
                ps.setInt(i++, p.partition());
            }
            ps.executeUpdate();
        }
        Map<SourcePartition, Long> next = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(dialect.lockProgress(table, partitions.size()))) {
            int i = 1;
            ps.setString(i++, connector);
            for (SourcePartition p : partitions) {
                ps.setString(i++, p.topic());
                ps.setInt(i++, p.partition());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) next.put(new SourcePartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return next;
    }

    void update(Connection c, Map<SourcePartition, Long> next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.updateProgress(table))) {
            for (Map.Entry<SourcePartition, Long> e : next.entrySet()) {
                ps.setLong(1, e.getValue());
                ps.setString(2, connector);
                ps.setString(3, e.getKey().topic());
                ps.setInt(4, e.getKey().partition());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
