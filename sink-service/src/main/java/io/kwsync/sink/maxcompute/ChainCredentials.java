package io.kwsync.sink.maxcompute;

import com.aliyun.credentials.api.ICredentials;
import com.aliyun.credentials.api.ICredentialsProvider;
import com.aliyun.credentials.provider.DefaultCredentialsProvider;

/**
 * The Alibaba Cloud default credential chain of {@code com.aliyun:credentials-java}
 * (KWSYNC_MAXCOMPUTE_CREDENTIALS=default-chain): system properties, the ALIBABA_CLOUD_* environment variables, the OIDC
 * role of a Kubernetes service account (ACK RRSA), the CLI and profile files, the ECS / ACK node RAM role from the
 * instance metadata, a credentials URI. The library caches and refreshes temporary credentials before they expire;
 * this wrapper only remembers why the chain last failed, for readiness.
 */
final class ChainCredentials implements KeylessCredentials {

    private final ICredentialsProvider chain;
    private volatile String problem;

    ChainCredentials() {
        this(DefaultCredentialsProvider.builder().build());
    }

    ChainCredentials(ICredentialsProvider chain) {
        this.chain = chain;
    }

    @Override
    public ICredentials getCredentials() {
        try {
            ICredentials c = chain.getCredentials();
            problem = null;
            return c;
        } catch (RuntimeException e) {
            problem = "KWSYNC_MAXCOMPUTE_CREDENTIALS is default-chain and the chain found no credentials: " + firstLine(e.getMessage());
            throw e;
        }
    }

    private static String firstLine(String s) {
        return String.valueOf(s).lines().findFirst().orElse("");
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public String waitingFor() {
        return "the sink keeps the rows and tries again with the credentials the default chain gives next"
                + " (KWSYNC_MAXCOMPUTE_CREDENTIALS is default-chain)";
    }

    @Override
    public String getProviderName() {
        return "kwsync-default-chain";
    }

    @Override
    public void close() throws Exception {
        chain.close();
    }

    @Override
    public String toString() {
        return "the Alibaba Cloud default credential chain";
    }
}
