package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.OdpsException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The emulator as a standalone process for the dev scripts and experiments. {@code serve} starts it on 127.0.0.1 and
 * prints its endpoints; {@code read} prints a table's partitions and rows, read back through the SDK, and its tunnel
 * counters. Run without arguments for the usage. The AccessKey secret comes from the environment variable
 * {@value #KEY_VARIABLE} or a file ({@code --access-key-file}), never from the command line, and is never printed.
 */
public final class Main {

    static final String ID_VARIABLE = "MAXCOMPUTE_EMULATOR_ACCESS_ID";
    static final String KEY_VARIABLE = "MAXCOMPUTE_EMULATOR_ACCESS_KEY";

    private static final String USAGE = """
            MaxCompute emulator: a development tool speaking the part of MaxCompute's REST API and tunnel protocol that
            kwsync uses (not a database; see maxcompute-emulator/README.md).

            serve [--port N] [--project NAME]... [--sql STATEMENT]... [--snapshot FILE] [--access-id ID]
                  [--access-key-file FILE] [--commit-delay DURATION] [--committing-polls N] [--max-blocks N]
                  [--session-lifetime DURATION] [--enforce-session-interval [DURATION]]
                Serves on 127.0.0.1:N (default 0: a free port) until stopped. --sql runs CREATE TABLE / ALTER TABLE ...
                ADD PARTITION in the first project. --snapshot loads FILE at start when it exists and writes the data
                back to it when the process is stopped (SIGTERM / Ctrl-C). Durations: 500ms, 5s, 2m, 1h.
            read --endpoint URL --project NAME --table NAME [--partition SPEC] [--limit N] [--access-id ID]
                 [--access-key-file FILE]
                Prints the table's partitions and rows (at most N per partition, default 100) read through the SDK's
                download sessions, and the emulator's tunnel counters of the table.
            sql --endpoint URL --project NAME --sql STATEMENT... [--access-id ID] [--access-key-file FILE]
                Runs each statement as a SQL instance through the SDK, as a client would: CREATE TABLE, ALTER TABLE ...
                ADD PARTITION, DROP TABLE [IF EXISTS].

            AccessKey: --access-id or $MAXCOMPUTE_EMULATOR_ACCESS_ID, the secret from --access-key-file or
            $MAXCOMPUTE_EMULATOR_ACCESS_KEY; without them the built-in development AccessKey.
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            return;
        }
        try {
            Options o = Options.parse(List.of(args).subList(1, args.length));
            switch (args[0]) {
                case "serve" -> serve(o);
                case "read" -> read(o, System.out);
                case "sql" -> sql(o);
                default -> throw new IllegalArgumentException("unknown command " + args[0] + " (serve, read or sql)");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("maxcompute-emulator: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        } catch (OdpsException | java.io.UncheckedIOException | com.aliyun.odps.ReloadException e) {
            // the service's answer is the message; its stack would only hide it
            System.err.println("maxcompute-emulator: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void serve(Options o) throws IOException, InterruptedException {
        EmulatorLimits limits = EmulatorLimits.REAL;
        if (o.has("max-blocks")) limits = limits.withMaxBlocksPerSession(Integer.parseInt(o.one("max-blocks")));
        if (o.has("session-lifetime")) limits = limits.withSessionLifetime(duration(o.one("session-lifetime")));
        if (o.has("commit-delay") || o.has("committing-polls")) {
            limits = limits.withCommitting(o.has("commit-delay") ? duration(o.one("commit-delay")) : Duration.ZERO,
                    o.has("committing-polls") ? Integer.parseInt(o.one("committing-polls")) : 0);
        }
        if (o.has("enforce-session-interval")) {
            String d = o.one("enforce-session-interval");
            limits = limits.withEnforcedSessionInterval(d.isEmpty() ? limits.minSessionInterval() : duration(d));
        }
        String[] key = credentials(o);
        MaxComputeEmulator mc = MaxComputeEmulator.builder().port(o.has("port") ? Integer.parseInt(o.one("port")) : 0)
                .credentials(key[0], key[1]).limits(limits).start();
        Path snapshot = o.has("snapshot") ? Path.of(o.one("snapshot")) : null;
        if (snapshot != null && Files.exists(snapshot)) mc.load(snapshot);
        List<String> projects = o.all("project");
        projects.forEach(mc::createProject);
        for (String sql : o.all("sql")) {
            if (projects.isEmpty()) throw new IllegalArgumentException("--sql needs a --project to run in");
            mc.execute(projects.get(0), sql);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (snapshot != null) mc.save(snapshot);
            } catch (IOException e) {
                System.err.println("maxcompute-emulator: cannot save " + snapshot + ": " + e.getMessage());
            } finally {
                mc.close();
                stopped.countDown();
            }
        }, "maxcompute-emulator-stop"));
        System.out.printf(Locale.ROOT, """
                MaxCompute emulator (development tool) listening on 127.0.0.1:%d
                  REST endpoint:   %s
                  tunnel endpoint: %s
                  projects:        %s
                  AccessKey id:    %s
                  limits:          %d blocks per session, sessions live %s, commit delay %s / %d polls, session pacing %s
                """, mc.port(), mc.endpoint(), mc.tunnelEndpoint(), projects.isEmpty() ? "(none; use --project)" : String.join(", ", projects),
                key[0], limits.maxBlocksPerSession(), limits.sessionLifetime(), limits.commitDelay(), limits.committingPolls(),
                limits.enforceSessionInterval() ? "enforced at " + limits.minSessionInterval() : "recorded");
        System.out.flush();
        stopped.await();
    }

    static void read(Options o, PrintStream out) throws Exception {
        String[] key = credentials(o);
        int limit = o.has("limit") ? Integer.parseInt(o.one("limit")) : 100;
        TableReader reader = new TableReader(o.one("endpoint"), o.one("project"), key[0], key[1]);
        reader.print(o.one("table"), o.has("partition") ? o.one("partition") : null, limit, out);
    }

    static void sql(Options o) throws Exception {
        String[] key = credentials(o);
        if (o.all("sql").isEmpty()) throw new IllegalArgumentException("--sql is required");
        TableReader client = new TableReader(o.one("endpoint"), o.one("project"), key[0], key[1]);
        for (String statement : o.all("sql")) client.run(statement);
    }

    /** {id, secret}: from the options, the environment, or the built-in development AccessKey. */
    private static String[] credentials(Options o) throws IOException {
        String id = o.has("access-id") ? o.one("access-id") : System.getenv().getOrDefault(ID_VARIABLE, MaxComputeEmulator.ACCESS_ID);
        String secret;
        if (o.has("access-key-file")) {
            secret = Files.readAllLines(Path.of(o.one("access-key-file")), StandardCharsets.UTF_8).stream().findFirst()
                    .map(String::trim).orElseThrow(() -> new IllegalArgumentException("--access-key-file is empty"));
        } else {
            secret = System.getenv().getOrDefault(KEY_VARIABLE, MaxComputeEmulator.ACCESS_KEY);
        }
        if (id.isBlank() || secret.isBlank()) throw new IllegalArgumentException("the AccessKey id and secret cannot be empty");
        return new String[]{id, secret};
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT5S}). */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new IllegalArgumentException("bad duration " + text);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("bad duration '" + text + "' (use 500ms, 5s, 2m, 1h)");
        }
    }

    /** {@code --name value} options; a name may repeat; a flag without a value has the value "". */
    record Options(Map<String, List<String>> values) {

        static Options parse(List<String> args) {
            Map<String, List<String>> values = new java.util.LinkedHashMap<>();
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (!a.startsWith("--")) throw new IllegalArgumentException("unexpected argument " + a);
                String value = i + 1 < args.size() && !args.get(i + 1).startsWith("--") ? args.get(++i) : "";
                values.computeIfAbsent(a.substring(2), k -> new ArrayList<>()).add(value);
            }
            return new Options(values);
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        String one(String name) {
            List<String> v = values.get(name);
            if (v == null) throw new IllegalArgumentException("--" + name + " is required");
            return v.get(v.size() - 1);
        }

        List<String> all(String name) {
            return values.getOrDefault(name, List.of());
        }
    }
}
