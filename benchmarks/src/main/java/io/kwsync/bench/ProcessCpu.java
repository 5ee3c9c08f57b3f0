package io.kwsync.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of the other processes a throughput run keeps busy (the broker, the database server, this JVM's producer)
 * and of the whole machine, from /proc in clock ticks of 10 ms: with the services' own, it says where every
 * core-second of the run went.
 */
final class ProcessCpu {

    private ProcessCpu() {
    }

    /** User + system CPU of every process whose command line matches, in milliseconds. */
    static long millis(Predicate<String> commandLine) {
        long sum = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs.filter(x -> x.getFileName().toString().chars().allMatch(Character::isDigit))::iterator) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (commandLine.test(cmd)) sum += statMillis(p.resolve("stat"));
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }

    static long self() {
        try {
            return statMillis(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            return 0;
        }
    }

    /** CPU time all cores spent busy (neither idle nor waiting for I/O), in milliseconds. */
    static long machineBusy() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length; i++) {
                if (i != 4 && i != 5 && i <= 8) busy += Long.parseLong(f[i]); // not idle, iowait; not guest (in user)
            }
            return busy * 10;
        } catch (IOException e) {
            return 0;
        }
    }

    static long statMillis(Path stat) throws IOException {
        String s = Files.readString(stat);
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    static boolean broker(String cmd) {
        return cmd.contains("kafka.Kafka ");
    }
}
