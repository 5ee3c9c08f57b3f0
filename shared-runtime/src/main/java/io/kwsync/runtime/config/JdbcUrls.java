package io.kwsync.runtime.config;

import java.util.Locale;

/** JDBC URLs as both services take them from the configuration: a password must never travel in one. */
public final class JdbcUrls {

    private JdbcUrls() {
    }

    /** A password in the URL (user:secret@host, or a password property) would end up wherever the URL is shown. */
    public static boolean hasPassword(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.matches("(?s)jdbc:[a-z:]+://[^/?]*:[^/?]*@.*") || lower.matches("(?s).*[?&;]password=.*")
                || lower.matches("(?s).*\\(.*password=.*");
    }
}
