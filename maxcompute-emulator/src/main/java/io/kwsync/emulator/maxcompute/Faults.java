package io.kwsync.emulator.maxcompute;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault switches tests arm on an emulator: replies that never come (per {@link TunnelCall}), upload-session
 * commits whose answers are always lost, block uploads that fail with 500, and commits held before they take effect.
 * Thread-safe.
 */
final class Faults {

    /** How long a held request waits at most, so that a forgotten release cannot keep a thread for ever. */
    private static final long HOLD_LIMIT_MINUTES = 10;

    private final Map<TunnelCall, Deque<ReplyFault>> armed = new EnumMap<>(TunnelCall.class);
    /** Sessions whose commit answers are lost, and how. */
    private final Map<String, ReplyFault> stickyCommits = new HashMap<>();
    /** Upload sessions whose commit answers are lost, every time they are asked (HttpURLConnection repeats a POST once). */
    private final Set<String> lostReplies = Collections.synchronizedSet(new HashSet<>());
    private final AtomicInteger dropCommitResponses = new AtomicInteger();
    private final AtomicInteger failBlockUploads = new AtomicInteger();
    private volatile CountDownLatch held = new CountDownLatch(1);
    /** While set, upload-session commits wait for it before taking effect. */
    private volatile CountDownLatch commitGate;

    synchronized void arm(TunnelCall call, ReplyFault how, int times) {
        Deque<ReplyFault> q = armed.computeIfAbsent(call, c -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) q.add(how);
    }

    synchronized void disarm() {
        armed.clear();
        stickyCommits.clear();
        dropCommitResponses.set(0);
        failBlockUploads.set(0);
    }

    /** Called once a block or bucket upload took effect: throws when its reply is to be lost. */
    void afterAccept(TunnelCall call) {
        ReplyFault how;
        synchronized (this) {
            Deque<ReplyFault> q = armed.get(call);
            how = q == null ? null : q.poll();
        }
        if (how != null) throw new NoReply(how);
    }

    /**
     * Called once a commit took effect (or was asked again): throws when its reply is to be lost. A fault stays with
     * the session it first hit, so that a client repeating the request (HttpURLConnection repeats a POST once, the
     * SDK's upsert commit polls) meets it again; status reloads of the session are answered.
     */
    void afterCommit(TunnelCall call, String session) {
        ReplyFault how;
        synchronized (this) {
            how = stickyCommits.get(session);
            if (how == null) {
                Deque<ReplyFault> q = armed.get(call);
                how = q == null ? null : q.poll();
                if (how != null) stickyCommits.put(session, how);
            }
        }
        if (how != null) throw new NoReply(how);
    }

    /** Blocks a held request's thread until released; the exchange then closes without an answer. */
    void hold() {
        try {
            held.await(HOLD_LIMIT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void releaseHeld() {
        CountDownLatch h = held;
        held = new CountDownLatch(1);
        h.countDown();
    }

    void dropCommitResponses(int n) {
        dropCommitResponses.set(n);
    }

    /** For a commit that just took effect: whether this session's answers are lost from now on. */
    void markCommitted(String session) {
        if (dropCommitResponses.getAndUpdate(n -> Math.max(0, n - 1)) > 0) lostReplies.add(session);
    }

    void checkCommitReply(String session) {
        if (lostReplies.contains(session)) throw new NoReply(ReplyFault.CLOSE);
    }

    void failBlockUploads(int n) {
        failBlockUploads.set(n);
    }

    void checkBlockUpload() {
        if (failBlockUploads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw Refusal.internal("simulated failure after reading the block");
        }
    }

    void holdCommits() {
        commitGate = new CountDownLatch(1);
    }

    void releaseCommits() {
        CountDownLatch gate = commitGate;
        commitGate = null;
        if (gate != null) gate.countDown();
    }

    void awaitCommitGate() {
        CountDownLatch gate = commitGate;
        try {
            if (gate != null && !gate.await(5, TimeUnit.MINUTES)) throw Refusal.internal("commit held too long");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refusal.internal("interrupted");
        }
    }

    /** Frees every waiting thread (the emulator is closing). */
    void releaseAll() {
        releaseHeld();
        releaseCommits();
    }
}
