package io.kwsync.sink.maxcompute;

import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs every SDK call that waits on the network under a deadline (KWSYNC_MAXCOMPUTE_CALL_TIMEOUT). The SDK has waits
 * without one: an upsert flush whose connection closed waits on a latch for ever, and its tunnel retry handler repeats
 * a 5xx answer to a session's creation or commit for about two minutes and a 429 without end, whatever retry policy
 * is configured. So each call runs on a thread of a small pool, and the caller waits at most the deadline; past it the
 * call is interrupted (which ends the SDK's latch waits and retry sleeps) and counts as a failed, retriable call
 * ({@link CallTimeout}).
 *
 * <p>A call that was given up may still be running, and may still reach the service (a block upload that is still
 * sending). Calls are made about a key (an upload session id); {@link #awaitQuiet} waits until no call given up on
 * that key is still running, so that nothing about the session is done again (a block rewritten, a block emptied)
 * while an older attempt could still land after it. The SDK's socket timeouts, set from the same deadline, bound how
 * long such a call can run. Thread-safe.
 */
final class SdkCalls implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SdkCalls.class);
    /** Threads at most: calls given up and still running count, so a service that holds every request is refused soon. */
    private static final int THREADS = 8;
    /** How much longer than the deadline the SDK's own socket timeouts are. */
    static final int SOCKET_MARGIN_SECONDS = 5;

    /** A call to MaxCompute that can wait on the network. */
    @FunctionalInterface
    interface Call<T> {
        T call() throws Exception;
    }

    /** A call did not end within its deadline (or could not start: every thread holds a call given up on). */
    static final class CallTimeout extends Exception {
        CallTimeout(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A call given up on that may still be running. */
    private record Running(String what, CountDownLatch done) {
    }

    private final Duration timeout;
    private final ThreadPoolExecutor pool;
    private final Map<String, List<Running>> abandoned = new HashMap<>();

    SdkCalls(Duration timeout) {
        this.timeout = timeout;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(0, THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "kwsync-maxcompute-call-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    Duration timeout() {
        return timeout;
    }

    /** Runs a call about nothing in particular under the deadline. */
    <T> T call(String what, Call<T> call) throws Exception {
        return call(null, what, timeout, call);
    }

    /** Runs a call about {@code key} (a session id, or null) under the deadline. */
    <T> T call(String key, String what, Call<T> call) throws Exception {
        return call(key, what, timeout, call);
    }

    /** A call returning nothing. */
    void run(String key, String what, Call<?> call) throws Exception {
        call(key, what, timeout, call);
    }

    <T> T call(String key, String what, Duration deadline, Call<T> call) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Callable<T> task = () -> {
            try {
                return call.call();
            } finally {
                done.countDown();
            }
        };
        Future<T> f;
        try {
            f = pool.submit(task);
        } catch (RejectedExecutionException e) {
            throw new CallTimeout(what + ": " + THREADS + " calls to MaxCompute are still running past their deadline", e);
        }
        try {
            return f.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) throw ex;
            if (cause instanceof Error err) throw err;
            throw e;
        } catch (TimeoutException e) {
            f.cancel(true);
            if (done.getCount() > 0 && key != null) {
                synchronized (abandoned) {
                    abandoned.computeIfAbsent(key, k -> new ArrayList<>()).add(new Running(what, done));
                }
            }
            throw new CallTimeout(what + ": no answer from MaxCompute within " + deadline.toMillis()
                    + " ms (KWSYNC_MAXCOMPUTE_CALL_TIMEOUT)", e);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new CallTimeout(what + ": interrupted", e);
        }
    }

    /**
     * Waits until no call given up on {@code key} is still running, at most the deadline and the socket timeouts'
     * margin, by when the SDK has ended such a call on its own; a retriable {@link CallTimeout} if one still runs.
     */
    void awaitQuiet(String key) throws CallTimeout {
        List<Running> running;
        synchronized (abandoned) {
            running = abandoned.remove(key);
        }
        if (running == null) return;
        long until = System.nanoTime() + timeout.toNanos() + TimeUnit.SECONDS.toNanos(2L * SOCKET_MARGIN_SECONDS);
        List<Running> still = new ArrayList<>();
        for (Running r : running) {
            try {
                if (!r.done().await(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS)) still.add(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                still.add(r);
            }
        }
        if (still.isEmpty()) return;
        synchronized (abandoned) {
            abandoned.computeIfAbsent(key, k -> new ArrayList<>()).addAll(still);
        }
        throw new CallTimeout("an earlier call that was given up (" + still.get(0).what() + ") is still running; session "
                + key + " is left alone until it ends", null);
    }

    /** Forgets what is known about a key (its session is done with). */
    void forget(String key) {
        synchronized (abandoned) {
            abandoned.remove(key);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) LOG.debug("calls to MaxCompute still running at shutdown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
