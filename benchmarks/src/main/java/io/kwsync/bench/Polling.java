package io.kwsync.bench;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;

/** Waits for a condition with a deadline (the benchmark measures time, so it polls at a fixed, short interval). */
final class Polling {

    private Polling() {
    }

    /** Polls until the condition holds; returns System.nanoTime() of the poll that saw it. */
    static long until(Duration timeout, Duration interval, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.call()) return System.nanoTime();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("timed out after " + timeout);
            LockSupport.parkNanos(interval.toNanos());
        }
    }
}
