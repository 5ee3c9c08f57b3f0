package io.kwsync.emulator.maxcompute;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the {@code Authorization: ODPS id:signature} header that the SDK's AliyunRequestSigner computes: HMAC-SHA1,
 * keyed with the AccessKey secret, over the method, the signed headers and the resource with its sorted parameters.
 * A missing header, an unknown AccessKey id or a wrong signature is refused with MaxCompute's 401 answers.
 */
final class Signature {

    private static final Pattern AUTH = Pattern.compile("ODPS ([^:]+):(.+)");

    private final String accessId;
    private final byte[] accessKey;

    Signature(String accessId, String accessKey) {
        this.accessId = accessId;
        this.accessKey = accessKey.getBytes(StandardCharsets.UTF_8);
    }

    /** @param resource the path below the service prefix, e.g. {@code /projects/p/tables/t} */
    void check(Call call, String resource) {
        String auth = call.header("Authorization");
        Matcher m = auth == null ? null : AUTH.matcher(auth);
        if (m == null || !m.matches()) throw new Refusal(401, "Unauthorized", "ODPS-0410040:Authorization required");
        if (!accessId.equals(m.group(1))) {
            throw new Refusal(401, "InvalidAccessKeyId", "ODPS-0410051:Invalid credentials - accessKeyId not found");
        }
        String given = m.group(2);
        if (!given.equals(sign(canonical(call, resource, false))) && !given.equals(sign(canonical(call, resource, true)))) {
            throw new Refusal(401, "SignatureNotMatch", "ODPS-0410042:Invalid signature value - User signature dose not match");
        }
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

    private String sign(String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(accessKey, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
