package io.kwsync.ingest.pipeline;

import io.kwsync.ingest.config.FormatSettings;
import io.kwsync.ingest.format.RegistryUnavailableException;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the streaming path does while the schema registry cannot be reached: the record that needs a schema waits,
 * neither published nor dead-lettered nor acknowledged (it is not the record's fault), and is tried again with a
 * growing pause (1 s doubling to 30 s), while readiness is DOWN naming the registry and the reason. Each try is bounded
 * by the registry client's deadlines. At shutdown, or when the caller gives up (its batch failed), the wait ends with
 * the exception, so nothing from the record on is committed and it is read again after a restart.
 */
@Singleton
public class RegistryWait {

    private static final Logger LOG = Logger.getLogger(RegistryWait.class);
    private static final long FIRST_PAUSE_MS = 1_000;
    private static final long MAX_PAUSE_MS = 30_000;

    private final List<String> urls;
    private final Object lock = new Object();
    private volatile String down;
    private volatile boolean closing;

    public RegistryWait(FormatSettings formats) {
        this.urls = formats.registryUrls();
    }

    /**
     * Runs {@code attempt} until it gets past the registry.
     *
     * @param abandon true when the caller no longer wants the outcome
     * @throws RegistryUnavailableException at shutdown, when abandoned, or when interrupted
     */
    public <T> T retrying(Supplier<T> attempt, BooleanSupplier abandon) {
        long pause = FIRST_PAUSE_MS;
        while (true) {
            try {
                T result = attempt.get();
                if (down != null) {
                    down = null;
                    LOG.infof("schema registry %s answers again", urls);
                }
                return result;
            } catch (RegistryUnavailableException e) {
                if (down == null) {
                    LOG.warnf("schema registry %s cannot be reached (%s); the record waits and is tried again", urls, e.getMessage());
                }
                down = e.getMessage();
                if (closing || abandon.getAsBoolean()) throw e;
                pause(pause, e);
                pause = Math.min(pause * 2, MAX_PAUSE_MS);
            }
        }
    }

    private void pause(long millis, RegistryUnavailableException e) {
        synchronized (lock) {
            try {
                if (!closing) lock.wait(millis);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw e;
            }
        }
    }

    /** Why the registry cannot be reached, or null while it can (or is not used). */
    public String down() {
        return down;
    }

    public List<String> urls() {
        return urls;
    }

    /**
     * Ends a wait at once, after the source consumers stopped polling and before they are awaited
     * ({@link SourceConsumers}), so that shutdown does not wait for the registry.
     */
    void close(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) ShutdownEvent event) {
        closing = true;
        synchronized (lock) {
            lock.notifyAll();
        }
    }
}
