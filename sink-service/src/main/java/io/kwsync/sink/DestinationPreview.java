package io.kwsync.sink;

import io.kwsync.model.RowEvent;

import java.util.List;

/**
 * What a destination would do with sample rows, without writing them: whether the table exists, the DDL the sink
 * would run for them (create the table, add columns) when configured to, the keys that have no column, and per row
 * whether the table takes it or why not. A destination package may contribute one, {@code @Identifier("<type>")};
 * nothing is created, altered or written by a preview.
 */
public interface DestinationPreview {

    /**
     * @param table the destination table, as rows name it
     * @param rows  sample rows of that table, in order (their origins number them from 0)
     * @throws IllegalArgumentException when the table name cannot be a table of this destination
     * @throws SinkException            when the destination cannot be asked
     */
    Result preview(String table, List<RowEvent> rows) throws SinkException;

    /**
     * @param exists         whether the table exists (and this user can see it)
     * @param ddl            the statements the sink would run before writing these rows, in order (empty: none)
     * @param missingColumns keys of the rows with a value and no column, in the order first seen
     * @param refused        per row index that the table would refuse, the reason (rows not listed are taken)
     * @param note           what the sink does about the missing table or columns with the current settings
     */
    record Result(String table, boolean exists, List<String> ddl, List<String> missingColumns, List<Refusal> refused,
                  String note) {
    }

    /** One refused row: its index in the sample and the reason it would carry on the error topic. */
    record Refusal(int row, String reason) {
    }
}
