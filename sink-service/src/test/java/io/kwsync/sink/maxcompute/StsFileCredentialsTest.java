package io.kwsync.sink.maxcompute;

import com.aliyun.credentials.api.ICredentials;
import io.kwsync.emulator.maxcompute.AdjustableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** STS credentials from files: read again after a rotation, the last complete set kept while a file is broken. */
class StsFileCredentialsTest {

    @TempDir
    Path dir;
    private final AdjustableClock clock = AdjustableClock.startingNow();

    private void write(String id, String secret, String token) throws IOException {
        Files.writeString(dir.resolve("id"), id + "\n");
        Files.writeString(dir.resolve("secret"), secret + "\n");
        Files.writeString(dir.resolve("token"), token + "\n");
    }

    private StsFileCredentials credentials() throws IOException {
        return new StsFileCredentials(dir.resolve("id"), dir.resolve("secret"), dir.resolve("token"), clock);
    }

    @Test
    void rotatedFilesAreReadOnTheNextRequestAfterTheRecheckInterval() throws IOException {
        write("STS.a", "secret-a", "token-a");
        StsFileCredentials c = credentials();
        assertEquals("token-a", c.getCredentials().getSecurityToken());
        write("STS.b", "secret-b", "token-b");
        assertEquals("token-a", c.getCredentials().getSecurityToken(), "not read again within the recheck interval");
        clock.advance(StsFileCredentials.RECHECK);
        ICredentials now = c.getCredentials();
        assertEquals("STS.b", now.getAccessKeyId());
        assertEquals("secret-b", now.getAccessKeySecret());
        assertEquals("token-b", now.getSecurityToken());
        assertNull(c.problem());
    }

    @Test
    void aMissingOrEmptyFileKeepsTheLastCredentialsAndSaysWhichVariable() throws IOException {
        write("STS.a", "secret-a", "token-a");
        StsFileCredentials c = credentials();
        Files.writeString(dir.resolve("token"), "\n"); // a rotation half written
        clock.advance(Duration.ofSeconds(2));
        assertEquals("token-a", c.getCredentials().getSecurityToken());
        assertTrue(c.problem().startsWith("KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE"), c.problem());
        assertTrue(c.problem().contains("is empty"), c.problem());
        Files.delete(dir.resolve("secret"));
        clock.advance(Duration.ofSeconds(2));
        assertEquals("secret-a", c.getCredentials().getAccessKeySecret());
        assertTrue(c.problem().startsWith("KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE: cannot read"), c.problem());
        assertFalse(c.problem().contains("secret-a") || c.problem().contains("token-a"), "never a secret: " + c.problem());

        write("STS.c", "secret-c", "token-c");
        clock.advance(Duration.ofSeconds(2));
        assertEquals("token-c", c.getCredentials().getSecurityToken());
        assertNull(c.problem(), "healed");
        assertFalse(c.getCredentials().toString().contains("secret-c"), "toString hides the secret");
    }

    @Test
    void filesThatCannotBeReadAtStartAreAConfigurationError() throws IOException {
        write("STS.a", "secret-a", "");
        IOException e = assertThrows(IOException.class, this::credentials);
        assertTrue(e.getMessage().startsWith("KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE"), e.getMessage());
    }
}
