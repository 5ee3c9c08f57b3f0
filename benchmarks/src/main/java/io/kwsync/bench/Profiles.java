package io.kwsync.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a service spent its CPU: the jdk.ExecutionSample events of its JFR recording, aggregated by top frame (self
 * time) and by every frame of our own code on the stack (inclusive time), as shares of all samples.
 */
final class Profiles {

    private Profiles() {
    }

    static void print(Path recording, String title, int top, PrintStream out) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> ours = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) continue;
            List<RecordedFrame> frames = e.getStackTrace().getFrames();
            if (frames.isEmpty()) continue;
            samples++;
            self.merge(name(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("io.kwsync.") && seen.add(n)) ours.merge(n, 1, Integer::sum);
            }
        }
        out.printf("%n%s: %d execution samples%n", title, samples);
        table("self (top frame)", self, samples, top, out);
        table("inclusive, io.kwsync frames", ours, samples, top, out);
    }

    private static void table(String what, Map<String, Integer> counts, int samples, int top, PrintStream out) {
        out.println("  " + what + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(en -> out.printf("    %5.1f%%  %s%n", 100.0 * en.getValue() / Math.max(1, samples), en.getKey()));
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
