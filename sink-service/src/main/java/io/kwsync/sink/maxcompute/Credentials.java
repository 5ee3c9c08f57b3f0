package io.kwsync.sink.maxcompute;

/** The AccessKey pair, read once at start ({@link MaxComputeSettings}). {@link #toString} never shows the secret. */
record Credentials(String accessId, String accessKey) {

    @Override
    public String toString() {
        return "Credentials[accessId=" + accessId + ", accessKey=***]";
    }
}
