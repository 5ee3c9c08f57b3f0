package io.kwsync.sink.maxcompute;

/**
 * The destination partition a session writes: the table, the partition spec in the table's own spelling and order of
 * its partition columns ({@code ""} when the table has none) and, when overwriting, the job whose rows it takes
 * (streaming rows count as one job, null).
 */
record SessionKey(String table, String spec, String job) {
}
