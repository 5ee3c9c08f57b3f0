package io.kwsync.sink.maxcompute;

import com.aliyun.odps.NoSuchObjectException;
import com.aliyun.odps.OdpsException;
import com.aliyun.odps.tunnel.TunnelException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what MaxCompute answered into an operator's sentence and sorts it: a missing permission, refused credentials
 * or a missing project or table cannot succeed on retry; network trouble and server errors can.
 */
final class MaxComputeErrors {

    private static final Pattern PRIVILEGE = Pattern.compile("NO privilege '(?:odps:)?(\\w+)' on \\{?([^}\\s]+)");

    /** What each permission the sink needs is for, as the MaxCompute writer's documentation lists them. */
    static String purpose(String privilege) {
        return switch (privilege.toLowerCase(Locale.ROOT)) {
            case "createinstance" -> "CreateInstance on the project (the sink runs SQL to create partitions and tables)";
            case "describe" -> "Describe on the table (the sink reads its schema)";
            case "alter" -> "Alter on the table (the sink adds partitions)";
            case "update" -> "Update on the table (the sink writes through tunnel sessions)";
            case "createtable" -> "CreateTable on the project (KWSYNC_MAXCOMPUTE_CREATE_TABLE)";
            default -> privilege;
        };
    }

    private MaxComputeErrors() {
    }

    /** A readable description of a failure from the SDK, naming a missing permission when that is the cause. */
    static String describe(Throwable e, String what) {
        return describe(e, what, "check KWSYNC_MAXCOMPUTE_ACCESS_ID and KWSYNC_MAXCOMPUTE_ACCESS_KEY");
    }

    /** @param whatToCheck what an operator checks when the credentials were refused ({@link Credentials#whatToCheck}) */
    static String describe(Throwable e, String what, String whatToCheck) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            Matcher p = PRIVILEGE.matcher(m);
            if (p.find()) {
                return what + ": MaxCompute denied the " + p.group(1) + " permission on " + p.group(2) + ". Grant "
                        + purpose(p.group(1)) + " to the AccessKey's user or role.";
            }
            if (Integer.valueOf(401).equals(status(t)) || m.contains("InvalidAccessKeyId") || m.contains("SignatureNotMatch")) {
                return what + ": MaxCompute refused the credentials (" + firstLine(m) + "); " + whatToCheck;
            }
            if (t == t.getCause()) break;
        }
        return what + ": " + firstLine(rootMessage(e));
    }

    /** MaxCompute refused the credentials themselves (401: unknown AccessKey id, wrong signature, expired token). */
    static boolean credentialsRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (Integer.valueOf(401).equals(status(t)) || m.contains("InvalidAccessKeyId") || m.contains("SignatureNotMatch")) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }

    /** Whether trying the same thing later can succeed. */
    static boolean retriable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Integer s = status(t);
            String m = String.valueOf(t.getMessage());
            if (PRIVILEGE.matcher(m).find() || m.contains("InvalidAccessKeyId") || m.contains("SignatureNotMatch")) return false;
            if (t instanceof NoSuchObjectException || s != null && (s == 401 || s == 403)) return false;
            if (s != null && s >= 400 && s < 500 && s != 404 && s != 408 && s != 409 && s != 429 && !isBlockLimit(t)) return false;
            if (t.getCause() == t) break;
        }
        return true;
    }

    /**
     * A tunnel session is gone for good: it expired (they live 24 hours; the service answers 409 {@code StatusConflict}
     * "... expired"), or the tunnel no longer knows it (404 {@code NoSuchUpload}, {@code UpsertSessionNotFound}).
     * Nothing written to it can be committed any more.
     */
    static boolean isExpiredSession(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof TunnelException te && ("NoSuchUpload".equals(te.getErrorCode())
                    || "StatusConflict".equals(te.getErrorCode()) && m.toLowerCase(Locale.ROOT).contains("expired"))) {
                return true;
            }
            if (m.contains("ErrorCode=NoSuchUpload") || m.contains("StatusConflict") && m.toLowerCase(Locale.ROOT).contains("expired")) {
                return true;
            }
        }
        return false;
    }

    /** An upload session refused a block id: it takes no more blocks (the service's limit is 20,000). */
    static boolean isBlockLimit(Throwable e) {
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof TunnelException te && "InvalidBlockID".equals(te.getErrorCode())) return true;
            if (String.valueOf(t.getMessage()).contains("InvalidBlockID")) return true;
        }
        return false;
    }

    static boolean isMissingPartition(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TunnelException te && "NoSuchPartition".equals(te.getErrorCode())) return true;
            if (String.valueOf(t.getMessage()).contains("NoSuchPartition")) return true;
        }
        return false;
    }

    static Integer status(Throwable t) {
        if (t instanceof OdpsException o) return o.getStatus();
        return null;
    }

    private static String rootMessage(Throwable e) {
        String best = String.valueOf(e.getMessage());
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) best = t.getMessage();
        }
        return best;
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }
}
