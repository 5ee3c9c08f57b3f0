package io.kwsync.ingest.mapping;

/**
 * One {@code source => column} pair of a mapping.
 *
 * @param position where the entry starts in the mapping text (0-based), for messages
 * @param text     the entry as written, for messages
 */
public record MappingEntry(SourceField source, String column, int position, String text) {
}
