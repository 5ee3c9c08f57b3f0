package io.kwsync.runtime.kafka;

/**
 * Lets the Kafka clients compress and decompress lz4 batches with lz4-java's JNI library instead of its pure-Java
 * fallback. lz4-java only tries its native library on its own when it was loaded by the system class loader; inside
 * the packaged service (Quarkus' class loader) it picks the pure-Java "safe" codec, which costs several times the
 * CPU of the native one per batch. Loading the library explicitly before any Kafka client exists makes every
 * {@code LZ4Factory.fastestInstance()} after it return the JNI codec. The bytes on the topic are the same either way.
 *
 * <p>Best effort, never fatal: where the library cannot be extracted and loaded (another CPU architecture, a
 * temporary directory mounted noexec, a native image without the resource) the pure-Java codec stays in use and the
 * service runs exactly as before, only with more CPU per batch. {@link #status()} says which one is used.
 */
public final class NativeLz4 {

    private static volatile String status = "not tried";

    private NativeLz4() {
    }

    /** Call first thing in main, before Quarkus starts the Kafka clients. */
    public static void load() {
        try {
            net.jpountz.util.Native.load();
            status = net.jpountz.util.Native.isLoaded() ? "native (JNI)" : "pure Java (the native library did not load)";
        } catch (LinkageError | RuntimeException e) { // no library for this platform, a noexec temp directory: keep Java
            status = "pure Java (" + e + ")";
        }
    }

    /** Which lz4 codec the Kafka clients of this process use, for the start-up log. */
    public static String status() {
        return status;
    }
}
