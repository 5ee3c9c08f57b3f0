package io.kwsync.system;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionEvaluationListener;
import org.awaitility.core.EvaluatedCondition;
import org.awaitility.core.TimeoutEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * When a test gives up waiting (an Awaitility deadline passes), every service process still running dumps its threads
 * into its log, and the threads that are busy in kwsync or SDK code are printed with the test's output, as are the busy
 * threads of a MaxCompute emulator running in the test JVM, and each service's last warnings. An intermittent stall
 * seen only on a CI machine, whose logs are gone, then still says where it waited.
 */
final class StallDumps implements ConditionEvaluationListener<Object> {

    /** Lines of one thread's stack printed at most. */
    private static final int FRAMES = 25;

    private StallDumps() {
    }

    static void install() {
        Awaitility.setDefaultConditionEvaluationListener(new StallDumps());
    }

    @Override
    public void conditionEvaluated(EvaluatedCondition<Object> condition) {
    }

    @Override
    public void onTimeout(TimeoutEvent event) {
        for (ServiceProcess p : List.copyOf(ServiceProcess.LIVE)) {
            String dump = p.dumpThreads();
            if (dump.isEmpty()) continue;
            StringBuilder out = new StringBuilder("[stall] ").append(p.name()).append(" after: ").append(event.getDescription()).append('\n');
            for (String thread : ours(dump)) out.append(thread).append('\n');
            out.append("[stall] ").append(p.name()).append("'s last warnings and errors:\n");
            for (String line : p.lastProblems(8)) out.append("  ").append(line).append('\n');
            System.out.print(out);
        }
        StringBuilder emulator = new StringBuilder();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (!thread.getName().startsWith("maxcompute-emulator")) return;
            String frames = String.join("\n    at ", java.util.Arrays.stream(stack).limit(FRAMES).map(String::valueOf).toList());
            if (frames.contains("ThreadPoolExecutor.getTask") || frames.contains("SelectorImpl.select")) return; // idle
            emulator.append("  \"").append(thread.getName()).append("\" ").append(thread.getState()).append("\n    at ").append(frames).append('\n');
        });
        if (!emulator.isEmpty()) System.out.print("[stall] busy MaxCompute emulator threads in the test JVM:\n" + emulator);
    }

    /**
     * The threads of a dump that are ours (named kwsync-*) or inside kwsync or MaxCompute SDK code, each cut to its
     * first frames; the main thread, which only waits for shutdown, is left out.
     */
    static List<String> ours(String dump) {
        List<String> threads = new ArrayList<>();
        for (String thread : dump.split("\n\\s*\n")) {
            String t0 = thread.strip();
            if (t0.startsWith("\"main\"")) continue;
            boolean busy = thread.contains("at io.kwsync.") || thread.contains("at com.aliyun.");
            if (!busy && (!t0.startsWith("\"kwsync-") || thread.contains("ThreadPoolExecutor.getTask"))) continue; // idle
            String[] lines = thread.strip().split("\n");
            StringBuilder t = new StringBuilder();
            for (int i = 0; i < Math.min(lines.length, FRAMES); i++) t.append("  ").append(lines[i].strip()).append('\n');
            threads.add(t.toString().stripTrailing());
        }
        return threads;
    }
}
