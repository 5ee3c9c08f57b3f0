package io.kwsync.sink.maxcompute;

import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.TableTunnel.UploadStatus;

import java.util.concurrent.TimeUnit;

/**
 * Takes an upload session to "closed" (committed), whatever happened to an earlier commit request: a request whose
 * answer was lost, one the SDK gave up on, one still held by the service, one sent by a process that crashed. The
 * SDK's {@code commit} returns as soon as the service answers "committing", so the status is then asked until it is
 * "closed". A session still "normal" was not committed yet (the request never arrived, or has not taken effect): the
 * commit is asked again, with the same blocks; two requests for one session commit it once. Only a status that can
 * never become "closed" (expired, cancelled) ends in {@link SessionLost}; until then the rows of the session are never
 * written anywhere else. Every call runs under the deadline of {@link SdkCalls}, and the whole settling too.
 */
final class UploadCommit {

    private UploadCommit() {
    }

    /**
     * Settles {@code s} with blocks 0 to {@code blocks - 1}; {@code asked}: a commit request was sent before (by this
     * process or another), so the status is asked first. True once committed. With {@code blocks} negative nothing is
     * asked: a session still "normal" then returns false (a record of a version that treated it as not committed).
     */
    static boolean settle(SdkCalls calls, TableTunnel.UploadSession s, int blocks, boolean asked, String what) throws Exception {
        String id = s.getId();
        long until = System.nanoTime() + calls.timeout().toNanos();
        long pause = 100;
        boolean ask = !asked;
        while (true) {
            if (ask) {
                try {
                    Long[] list = new Long[blocks];
                    for (int i = 0; i < blocks; i++) list[i] = (long) i;
                    calls.run(id, what + ": commit", () -> {
                        s.commit(list);
                        return null;
                    });
                } catch (SdkCalls.CallTimeout e) {
                    throw e; // still on its way, perhaps held: asked again after the writer's backoff
                } catch (Exception e) {
                    if (MaxComputeErrors.isExpiredSession(e)) throw lost(id, what, e);
                    if (!MaxComputeErrors.retriable(e)) throw e;
                    // the answer was lost or refused (a commit already under way): the status tells
                }
                ask = false;
            }
            UploadStatus status;
            try {
                status = calls.call(id, what + ": status", s::getStatus);
            } catch (Exception e) {
                if (MaxComputeErrors.isExpiredSession(e)) throw lost(id, what, e);
                throw e;
            }
            switch (status) {
                case CLOSED -> {
                    return true;
                }
                case NORMAL -> {
                    if (blocks < 0) return false;
                    ask = true;
                }
                case COMMITTING, CLOSING -> {
                    // the service is committing it: ask again shortly
                }
                default -> throw new SessionLost(id, what + ": the tunnel reports status " + status + "; it will not be committed", null);
            }
            if (System.nanoTime() > until) {
                throw new SdkCalls.CallTimeout(what + ": still " + status.name().toLowerCase() + " after "
                        + calls.timeout().toMillis() + " ms (KWSYNC_MAXCOMPUTE_CALL_TIMEOUT); asked again later", null);
            }
            sleep(pause);
            pause = Math.min(1000, pause * 2);
        }
    }

    private static SessionLost lost(String id, String what, Exception e) {
        return new SessionLost(id, what + ": the session expired or the tunnel no longer knows it ("
                + MaxComputeErrors.describe(e, "tunnel") + ")", e);
    }

    private static void sleep(long millis) throws SdkCalls.CallTimeout {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdkCalls.CallTimeout("interrupted while waiting for a commit", e);
        }
    }
}
