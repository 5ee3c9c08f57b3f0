package io.kwsync.runtime.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Both services are configured by environment variables that map one-to-one to {@code kwsync.*} properties:
 * {@code KWSYNC_SOURCE_TOPICS} is {@code kwsync.source.topics}. Error messages name the variable, which is what
 * an operator sets in a Deployment.
 */
public final class EnvVars {

    private static final Pattern PROPERTY = Pattern.compile("(?<![\\w.$])kwsync(?:\\.[a-z0-9][a-z0-9-]*)+");

    private EnvVars() {
    }

    /** {@code kwsync.rows.topic-partitions} -> {@code KWSYNC_ROWS_TOPIC_PARTITIONS}. */
    public static String of(String property) {
        StringBuilder sb = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return sb.toString();
    }

    /**
     * One readable line (or block, for several problems) about a start-up failure: the "Invalid configuration" list
     * when it is about configuration, else the deepest message ({@link StartupFailure}).
     */
    public static String describeFailure(Throwable failure) {
        return StartupFailure.describe(failure);
    }

    /** Rewrites every {@code kwsync.*} property named in a message as "ENV_VAR (property)". */
    public static String nameVariables(String message) {
        if (message == null) return null;
        Matcher m = PROPERTY.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String property = m.group();
            if (property.endsWith("-")) property = property.substring(0, property.length() - 1);
            m.appendReplacement(sb, Matcher.quoteReplacement(of(property) + " (" + property + ")"));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
