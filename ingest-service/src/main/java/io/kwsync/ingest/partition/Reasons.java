package io.kwsync.ingest.partition;

/** Record text quoted in a dirty record's reason, clipped so that a huge field cannot bloat the error topic. */
final class Reasons {

    private static final int MAX = 64;

    private Reasons() {
    }

    static String clip(String text) {
        return text.length() <= MAX ? text : text.substring(0, MAX) + "... (" + text.length() + " characters)";
    }
}
