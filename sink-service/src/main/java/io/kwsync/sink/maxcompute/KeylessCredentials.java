package io.kwsync.sink.maxcompute;

import com.aliyun.credentials.api.ICredentialsProvider;

/**
 * Credentials that change while the sink runs (STS files rotated by a sidecar, or the Alibaba Cloud default chain),
 * handed to the SDK's keyless account, which asks for them on every request. Besides the credentials it tells
 * readiness what is wrong with obtaining them, and what the sink waits for when MaxCompute refuses them.
 */
interface KeylessCredentials extends ICredentialsProvider {

    /** Why the newest credentials could not be obtained, naming the variable; null when nothing is wrong. */
    String problem();

    /** What makes refused credentials work again, e.g. new STS credentials in the files. */
    String waitingFor();
}
