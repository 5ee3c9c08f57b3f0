package io.kwsync.ingest.config;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The subscription of a connector that reads topics by pattern (KWSYNC_SOURCE_TOPIC_PATTERN): the operator's regular
 * expression, matched against whole topic names, with the topics of the connectors themselves left out whatever the
 * expression says. A pattern like {@code .*} must not make a connector read its own rows or error topic (a loop that
 * grows without end) or another connector's internal topics. Kafka's own internal topics ({@code __consumer_offsets})
 * are left out by the consumer already; they are excluded here too so the rule does not depend on a client setting.
 */
public final class SourcePattern {

    /** Name prefixes of the topics kwsync and the managed connectors keep for themselves. */
    public static final List<String> INTERNAL_PREFIXES =
            List.of("kwsync-", "connect-error-", "connect-offset-", "connect-status-", "connect-configs", "__");

    private SourcePattern() {
    }

    /** The expression the consumer subscribes with: the operator's, behind a guard that refuses internal topics. */
    public static String subscription(String operatorPattern) {
        StringBuilder guard = new StringBuilder("(?!(?:");
        for (int i = 0; i < INTERNAL_PREFIXES.size(); i++) {
            guard.append(i == 0 ? "" : "|").append(Pattern.quote(INTERNAL_PREFIXES.get(i)));
        }
        return guard.append("))(?:").append(operatorPattern).append(")").toString();
    }

    /** The compiled subscription, or null after reporting why the operator's expression does not compile. */
    public static Pattern compile(String operatorPattern, java.util.function.Consumer<String> problem) {
        try {
            Pattern.compile(operatorPattern); // its own error message points into the operator's text
            return Pattern.compile(subscription(operatorPattern));
        } catch (PatternSyntaxException e) {
            problem.accept("is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex());
            return null;
        }
    }

    /** Whether the subscription reads this topic. */
    public static boolean reads(Pattern subscription, String topic) {
        return subscription.matcher(topic).matches();
    }
}
