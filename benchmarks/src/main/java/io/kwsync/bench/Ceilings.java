package io.kwsync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The broker's own consume rate of a topic, measured by Kafka's ConsumerPerformance tool from the broker's jars. */
final class Ceilings {

    private Ceilings() {
    }

    /** fetch.nMsg.sec of ConsumerPerformance reading n records of topic: records per second, group join excluded. */
    static double consumeRate(String bootstrap, String topic, long n) {
        String home = System.getenv("KWSYNC_DEV_HOME");
        if (home == null) throw new IllegalStateException("KWSYNC_DEV_HOME is not set: run the benchmark through dev/bench.sh");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", home + "/kafka/libs/*",
                "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server", bootstrap, "--topic", topic,
                "--messages", Long.toString(n), "--group", "bench-perf-" + topic, "--timeout", "60000");
        String output;
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("ConsumerPerformance failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String[] lines = output.lines().toArray(String[]::new);
        for (int i = 0; i + 1 < lines.length; i++) {
            if (!lines[i].startsWith("start.time")) continue;
            List<String> header = List.of(lines[i].split(",\\s*"));
            String[] values = lines[i + 1].split(",\\s*");
            long consumed = Long.parseLong(values[header.indexOf("data.consumed.in.nMsg")].trim());
            if (consumed < n) throw new IllegalStateException("ConsumerPerformance read " + consumed + " of " + n + " records");
            return Double.parseDouble(values[header.indexOf("fetch.nMsg.sec")].trim());
        }
        throw new IllegalStateException("no result line in ConsumerPerformance output:\n" + output);
    }
}
