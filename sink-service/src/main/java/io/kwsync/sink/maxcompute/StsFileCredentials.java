package io.kwsync.sink.maxcompute;

import com.aliyun.credentials.api.ICredentials;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * STS credentials (AccessKey id, secret and security token) read from three files that a sidecar or a projected
 * Secret rotates (KWSYNC_MAXCOMPUTE_CREDENTIALS=sts). The files are read again at most every {@link #RECHECK} when
 * the SDK asks for credentials, i.e. on the next request after a change, without a restart; a change is noticed by
 * content, not modification time (a rewrite within the same second is still seen). When a file cannot be read or is
 * empty (a rotation half written), the last complete credentials stay in use and {@link #problem} says why. The
 * credentials are never logged; {@link #toString} names only the files.
 */
final class StsFileCredentials implements KeylessCredentials {

    static final Duration RECHECK = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(StsFileCredentials.class);

    private final Path idFile;
    private final Path secretFile;
    private final Path tokenFile;
    private final Clock clock;
    private volatile Sts current;
    private volatile Instant readAt;
    private volatile Instant nextCheck;
    private volatile String problem;

    /** One complete set as read; toString hides the secret and the token. */
    private record Sts(String id, String secret, String token) implements ICredentials {
        @Override
        public String getAccessKeyId() {
            return id;
        }

        @Override
        public String getAccessKeySecret() {
            return secret;
        }

        @Override
        public String getSecurityToken() {
            return token;
        }

        @Override
        public String getProviderName() {
            return "kwsync-sts-files";
        }

        @Override
        public String toString() {
            return "Sts[***]";
        }
    }

    /** Reads the files once; an {@link IOException} when one cannot be read or is empty. */
    StsFileCredentials(Path idFile, Path secretFile, Path tokenFile, Clock clock) throws IOException {
        this.idFile = idFile;
        this.secretFile = secretFile;
        this.tokenFile = tokenFile;
        this.clock = clock;
        this.current = read();
        this.readAt = clock.instant();
        this.nextCheck = readAt.plus(RECHECK);
    }

    @Override
    public ICredentials getCredentials() {
        Instant now = clock.instant();
        if (!now.isBefore(nextCheck)) reload(now);
        return current;
    }

    private synchronized void reload(Instant now) {
        if (now.isBefore(nextCheck)) return; // another thread just did
        nextCheck = now.plus(RECHECK);
        try {
            Sts read = read();
            if (!read.equals(current)) {
                current = read;
                readAt = now;
                LOG.infof("new STS credentials read from %s", tokenFile.getParent());
            }
            if (problem != null) LOG.infof("the STS credential files can be read again");
            problem = null;
        } catch (IOException e) {
            String p = e.getMessage() + "; the credentials read at " + readAt + " stay in use until the files hold new ones";
            if (!p.equals(problem)) LOG.warn(p);
            problem = p;
        }
    }

    private Sts read() throws IOException {
        return new Sts(line(idFile, "KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE"), line(secretFile, "KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE"),
                line(tokenFile, "KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE"));
    }

    private static String line(Path file, String variable) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(variable + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        String first = text.lines().findFirst().orElse("").trim();
        if (first.isEmpty()) throw new IOException(variable + ": " + file + " is empty");
        return first;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public String waitingFor() {
        return "the sink keeps the rows and tries again; it reads the files of KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE,"
                + " KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE and KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE again when they change"
                + " (STS credentials last read at " + readAt + ")";
    }

    @Override
    public String getProviderName() {
        return "kwsync-sts-files";
    }

    @Override
    public void close() {
    }

    @Override
    public String toString() {
        return "STS credentials from " + idFile + ", " + secretFile + ", " + tokenFile;
    }
}
