package io.kwsync.sink.maxcompute;

import com.aliyun.odps.account.Account;
import com.aliyun.odps.account.AklessAccount;
import com.aliyun.odps.account.AliyunAccount;
import io.kwsync.runtime.config.InvalidConfigurationException;
import io.kwsync.sink.maxcompute.MaxComputeConfig.CredentialSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Where the sink's MaxCompute credentials come from (KWSYNC_MAXCOMPUTE_CREDENTIALS), read at start
 * ({@link MaxComputeSettings}): an AccessKey pair kept for the life of the process, STS credentials in three files read
 * again when they change, or the Alibaba Cloud default chain. {@link #toString} never shows a secret.
 *
 * @param accessId  the AccessKey pair of {@code access-key}, null otherwise
 * @param idFile    the files of {@code sts}, null otherwise
 */
record Credentials(CredentialSource source, String accessId, String accessKey, Path idFile, Path keyFile, Path tokenFile) {

    /** An AccessKey pair. */
    Credentials(String accessId, String accessKey) {
        this(CredentialSource.ACCESS_KEY, accessId, accessKey, null, null, null);
    }

    static Credentials sts(Path idFile, Path keyFile, Path tokenFile) {
        return new Credentials(CredentialSource.STS, null, null, idFile, keyFile, tokenFile);
    }

    static Credentials defaultChain() {
        return new Credentials(CredentialSource.DEFAULT_CHAIN, null, null, null, null, null);
    }

    /**
     * The SDK account: the AccessKey pair's, or the keyless account that asks {@link KeylessCredentials} for the
     * credentials on every request (and so follows a rotation at once).
     */
    Account account(Clock clock) {
        return switch (source) {
            case ACCESS_KEY -> new AliyunAccount(accessId, accessKey);
            case STS -> {
                try {
                    yield new AklessAccount(new StsFileCredentials(idFile, keyFile, tokenFile, clock));
                } catch (IOException e) {
                    throw new InvalidConfigurationException(List.of(e.getMessage()));
                }
            }
            case DEFAULT_CHAIN -> new AklessAccount(new ChainCredentials());
        };
    }

    /** The credentials of an account built by {@link #account} that change while it runs, or null. */
    static KeylessCredentials keyless(Account account) {
        return account instanceof AklessAccount a && a.getCredentialsProvider() instanceof KeylessCredentials k ? k : null;
    }

    /** What an operator checks when MaxCompute refuses these credentials. */
    String whatToCheck() {
        return switch (source) {
            case ACCESS_KEY -> "check KWSYNC_MAXCOMPUTE_ACCESS_ID and KWSYNC_MAXCOMPUTE_ACCESS_KEY";
            case STS -> "check the STS credentials in KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE, KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE and"
                    + " KWSYNC_MAXCOMPUTE_SECURITY_TOKEN_FILE (are they rotated before they expire?)";
            case DEFAULT_CHAIN -> "check what the default credential chain finds (KWSYNC_MAXCOMPUTE_CREDENTIALS is default-chain):"
                    + " the ALIBABA_CLOUD_* variables, the pod's RAM role or its OIDC role, and that role's MaxCompute permissions";
        };
    }

    @Override
    public String toString() {
        return switch (source) {
            case ACCESS_KEY -> "Credentials[accessId=" + accessId + ", accessKey=***]";
            case STS -> "Credentials[sts from " + tokenFile + " and its siblings]";
            case DEFAULT_CHAIN -> "Credentials[default chain]";
        };
    }
}
