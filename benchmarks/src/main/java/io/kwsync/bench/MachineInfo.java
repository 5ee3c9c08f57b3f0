package io.kwsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a run measured: cores, memory, load. */
final class MachineInfo {

    private MachineInfo() {
    }

    /** The 1, 5 and 15 minute load averages, as uptime prints them. */
    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + ", " + f[1] + ", " + f[2];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    static String describe() {
        long kib = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return String.format("%d cores (nproc), %.1f GiB RAM, Java %s", cores(),
                kib / 1024.0 / 1024.0, System.getProperty("java.version"));
    }
}
