package io.kwsync.sink.maxcompute;

import io.kwsync.sink.job.RunFailedException;
import io.kwsync.sink.job.RunState;
import io.kwsync.sink.maxcompute.StoredRun.Session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a window-job run stands when one of its partition commits is refused for good after others went through:
 * MaxCompute replaces partition by partition, so the run's failure must say what it already changed. A table is
 * "replaced" when every partition the run replaces in it was committed, "partly replaced" when some were, and "not
 * replaced" when none was (it keeps what it held before the run).
 */
final class CommitOutcome {

    private CommitOutcome() {
    }

    /**
     * The run failure for a refused commit: {@code reason} followed by what the run replaced and what not, and the
     * replaced partitions (with their rows) as {@link RunFailedException#replaced}.
     */
    static RunFailedException failure(RunState run, Map<String, Session> sessions, String reason, Exception cause) {
        Map<String, Long> replaced = new LinkedHashMap<>();
        Map<String, int[]> perTable = new TreeMap<>(); // table -> {committed, all}
        for (Session s : new TreeMap<>(sessions).values()) {
            String table = MaxComputeStaging.tableOf(run, s);
            int[] n = perTable.computeIfAbsent(table, k -> new int[2]);
            n[1]++;
            if (s.committed) {
                n[0]++;
                replaced.put(MaxComputeStaging.resultKey(run, table, MaxComputeRowSink.specText(s.partition)), s.rows);
            }
        }
        StringBuilder text = new StringBuilder(reason);
        if (run.routed()) {
            List<String> whole = new ArrayList<>(), part = new ArrayList<>(), none = new ArrayList<>();
            perTable.forEach((table, n) -> (n[0] == n[1] ? whole : n[0] == 0 ? none : part).add(table));
            text.append(". Tables replaced by this run: ").append(whole.isEmpty() ? "none" : String.join(", ", whole));
            if (!part.isEmpty()) text.append("; partly replaced: ").append(String.join(", ", part));
            text.append("; not replaced (they keep their earlier rows): ").append(none.isEmpty() ? "none" : String.join(", ", none));
            text.append(". A rerun of the window replaces every table again");
        } else if (!replaced.isEmpty()) {
            text.append("; partitions ").append(new ArrayList<>(replaced.keySet())).append(" were already replaced by this run");
        }
        return new RunFailedException(text.toString(), cause, replaced);
    }
}
