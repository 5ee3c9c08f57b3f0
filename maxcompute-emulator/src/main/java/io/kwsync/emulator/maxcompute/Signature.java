package io.kwsync.emulator.maxcompute;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the {@code Authorization: ODPS id:signature} header that the SDK's AliyunRequestSigner computes: HMAC-SHA1,
 * keyed with the AccessKey secret, over the method, the signed headers and the resource with its sorted parameters.
 * A missing header, an unknown AccessKey id or a wrong signature is refused with MaxCompute's 401 answers.
 *
 * <p>Temporary (STS) credentials issued by {@link #issue} sign the same way with their own secret, and the request
 * must also carry their security token in the {@value #STS_TOKEN_HEADER} header, which the SDK's StsRequestSigner
 * adds after signing (it is not part of the signature). A request with an STS AccessKey id but no token, another
 * token, or a token past its expiry by the emulator's clock is refused with 401 like a wrong signature.
 */
final class Signature {

    static final String STS_TOKEN_HEADER = "authorization-sts-token";
    private static final Pattern AUTH = Pattern.compile("ODPS ([^:]+):(.+)");

    private final String accessId;
    private final byte[] accessKey;
    private final Clock clock;
    private final Map<String, Temporary> temporary = new ConcurrentHashMap<>();

    /** STS credentials the emulator accepts until {@code expires}. */
    private record Temporary(byte[] secret, String token, Instant expires) {
    }

    Signature(String accessId, String accessKey, Clock clock) {
        this.accessId = accessId;
        this.accessKey = accessKey.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    /** Accepts requests signed with these STS credentials until {@code expires}; issuing the id again replaces them. */
    void issue(String id, String secret, String token, Instant expires) {
        temporary.put(id, new Temporary(secret.getBytes(StandardCharsets.UTF_8), token, expires));
    }

    /** @param resource the path below the service prefix, e.g. {@code /projects/p/tables/t} */
    void check(Call call, String resource) {
        String auth = call.header("Authorization");
        Matcher m = auth == null ? null : AUTH.matcher(auth);
        if (m == null || !m.matches()) throw new Refusal(401, "Unauthorized", "ODPS-0410040:Authorization required");
        byte[] key = accessId.equals(m.group(1)) ? accessKey : temporaryKey(m.group(1), call.header(STS_TOKEN_HEADER));
        String given = m.group(2);
        if (!given.equals(sign(key, canonical(call, resource, false))) && !given.equals(sign(key, canonical(call, resource, true)))) {
            throw new Refusal(401, "SignatureNotMatch", "ODPS-0410042:Invalid signature value - User signature dose not match");
        }
    }

    /** The secret of STS credentials whose token came with the request and has not expired. */
    private byte[] temporaryKey(String id, String token) {
        Temporary t = temporary.get(id);
        if (t == null) throw new Refusal(401, "InvalidAccessKeyId", "ODPS-0410051:Invalid credentials - accessKeyId not found");
        if (token == null || !token.equals(t.token)) {
            throw new Refusal(401, "InvalidSecurityToken", "ODPS-0410051:Invalid credentials - the security token is missing or"
                    + " does not belong to the accessKeyId");
        }
        if (!clock.instant().isBefore(t.expires)) {
            throw new Refusal(401, "SecurityTokenExpired", "ODPS-0410051:Invalid credentials - the security token has expired");
        }
        return t.secret;
    }

    /**
     * @param formDefault whether a Content-Type of application/x-www-form-urlencoded was added by the HTTP client
     *                    after signing (HttpURLConnection does that for bodies without one)
     */
    private static String canonical(Call call, String resource, boolean formDefault) {
        TreeMap<String, String> signed = new TreeMap<>();
        call.headers.forEach((key, v) -> {
            if (key.equals("content-type") || key.equals("content-md5") || key.equals("date") || key.startsWith("x-odps-")) {
                signed.put(key, v);
            }
        });
        if (formDefault && "application/x-www-form-urlencoded".equals(signed.get("content-type"))) signed.remove("content-type");
        signed.putIfAbsent("content-type", "");
        signed.putIfAbsent("content-md5", "");
        Map<String, String> params = call.params;
        params.forEach((k, v) -> {
            if (k.startsWith("x-odps-")) signed.put(k, v);
        });
        StringBuilder sb = new StringBuilder(call.method).append('\n');
        signed.forEach((k, v) -> sb.append(k.startsWith("x-odps-") ? k + ":" + v : v).append('\n'));
        sb.append(resource);
        char sep = '?';
        for (String k : new TreeMap<>(params).keySet()) {
            sb.append(sep).append(k);
            if (!params.get(k).isEmpty()) sb.append('=').append(params.get(k));
            sep = '&';
        }
        return sb.toString();
    }

    private static String sign(byte[] key, String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
