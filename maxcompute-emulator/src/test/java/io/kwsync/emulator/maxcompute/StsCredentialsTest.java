package io.kwsync.emulator.maxcompute;

import com.aliyun.odps.Odps;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.account.Account;
import com.aliyun.odps.account.StsAccount;
import com.aliyun.odps.tunnel.TableTunnel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STS credentials: the SDK's StsAccount signs with the temporary secret and sends the security token in its own
 * header; the emulator takes the pair only with that token and only until it expires by the emulator's clock.
 */
class StsCredentialsTest {

    private final AdjustableClock clock = AdjustableClock.startingNow();
    private MaxComputeEmulator mc;

    @BeforeEach
    void start() {
        mc = Sdk.withKvTable(MaxComputeEmulator.builder().clock(clock));
    }

    @AfterEach
    void stop() {
        mc.close();
    }

    private Odps odps(Account account) {
        Odps odps = new Odps(account);
        odps.setEndpoint(mc.endpoint());
        odps.setDefaultProject(Sdk.PROJECT);
        odps.getRestClient().setRetryTimes(0);
        return odps;
    }

    private static int status(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OdpsException o && o.getStatus() != null) return o.getStatus();
        }
        return -1;
    }

    @Test
    void stsCredentialsWithTheirTokenReadTablesAndOpenTunnelSessionsUntilTheyExpire() throws Exception {
        MaxComputeEmulator.StsCredentials c = mc.issueStsCredentials(Duration.ofMinutes(15));
        Odps odps = odps(new StsAccount(c.accessId(), c.accessSecret(), c.securityToken()));
        assertTrue(odps.tables().exists("t"));
        TableTunnel.UploadSession s = new TableTunnel(odps).createUploadSession(Sdk.PROJECT, "t", new PartitionSpec("pt=a"), false);
        assertFalse(s.getId().isEmpty());

        clock.advance(Duration.ofMinutes(15));
        Exception e = assertThrows(Exception.class, () -> odps.tables().get("t").reload());
        assertEquals(401, status(e));
        assertTrue(e.toString().contains("security token has expired"), e.toString());
    }

    @Test
    void aMissingOrForeignTokenOrAWrongSecretIsRefused() {
        MaxComputeEmulator.StsCredentials c = mc.issueStsCredentials(Duration.ofHours(1));
        MaxComputeEmulator.StsCredentials other = mc.issueStsCredentials(Duration.ofHours(1));
        // StsAccount with no token sends no token header
        Exception none = assertThrows(Exception.class, () -> odps(new StsAccount(c.accessId(), c.accessSecret(), null)).tables().exists("t"));
        assertEquals(401, status(none));
        assertTrue(none.toString().contains("security token is missing"), none.toString());
        Exception foreign = assertThrows(Exception.class,
                () -> odps(new StsAccount(c.accessId(), c.accessSecret(), other.securityToken())).tables().exists("t"));
        assertTrue(foreign.toString().contains("does not belong"), foreign.toString());
        Exception secret = assertThrows(Exception.class,
                () -> odps(new StsAccount(c.accessId(), other.accessSecret(), c.securityToken())).tables().exists("t"));
        assertTrue(secret.toString().contains("signature"), secret.toString());
        Exception unknown = assertThrows(Exception.class,
                () -> odps(new StsAccount("STS.unknown", c.accessSecret(), c.securityToken())).tables().exists("t"));
        assertTrue(unknown.toString().contains("accessKeyId not found"), unknown.toString());
        assertFalse(c.toString().contains(c.securityToken()) || c.toString().contains(c.accessSecret()), "toString hides the secrets");
    }
}
