package io.kwsync.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A MariaDB server of one test's own (its data directory under system-tests/target/mariadb, its own port on
 * 127.0.0.1), created with mariadb-install-db, so the test can stop and restart the database without touching the
 * shared server. Same database, user and password as the shared one (TestDatabases).
 */
public final class PrivateMariaDb implements AutoCloseable {

    private final Path home;
    private final int port = ServiceProcess.freePort();
    private final String user;
    private final String password;
    private Process process;

    public PrivateMariaDb(String name, String user, String password) {
        this.home = ServiceProcess.REPO.resolve("system-tests/target/mariadb/" + name);
        this.user = user;
        this.password = password;
    }

    public String url() {
        return "jdbc:mysql://127.0.0.1:" + port + "/kwsync";
    }

    public int port() {
        return port;
    }

    /** Creates the data directory on the first call; starts the server on the same port and data each time. */
    public PrivateMariaDb start() {
        try {
            Path data = home.resolve("data");
            if (!Files.isDirectory(data.resolve("mysql"))) {
                Files.createDirectories(home);
                run(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=" + osUser(),
                        "--auth-root-authentication-method=normal", "--skip-test-db"), home.resolve("install.log"));
            }
            String quotedPassword = password.replace("'", "''");
            Files.writeString(home.resolve("init.sql"), String.join("\n",
                    "CREATE DATABASE IF NOT EXISTS kwsync;",
                    "CREATE USER IF NOT EXISTS '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + quotedPassword + "';",
                    "CREATE USER IF NOT EXISTS '" + user + "'@'localhost' IDENTIFIED BY '" + quotedPassword + "';",
                    "GRANT ALL ON kwsync.* TO '" + user + "'@'127.0.0.1';",
                    "GRANT ALL ON kwsync.* TO '" + user + "'@'localhost';", ""));
            process = new ProcessBuilder("mariadbd", "--no-defaults", "--datadir=" + data, "--user=" + osUser(),
                    "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + home.resolve("mariadb.sock"),
                    "--pid-file=" + home.resolve("mariadb.pid"), "--init-file=" + home.resolve("init.sql"),
                    "--skip-log-bin", "--innodb-buffer-pool-size=32M", "--log-error=" + home.resolve("error.log"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("out.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(this::listening);
        return this;
    }

    private boolean listening() {
        if (!process.isAlive()) throw new IllegalStateException("private mariadbd exited; see " + home.resolve("error.log"));
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A clean shutdown (SIGTERM), as when the database is restarted for maintenance. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor(process);
        }
    }

    private static void run(List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (waitFor(p) != 0) throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
    }

    private static int waitFor(Process p) {
        try {
            return p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String osUser() {
        return System.getProperty("user.name");
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            waitFor(process);
        }
    }
}
