package io.kwsync.runtime.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says why a service did not start, in the operator's terms. Whatever stopped it (a value the configuration system
 * could not convert, a problem our checks found, an HTTP port in use), the answer is the same "Invalid configuration"
 * list, each line naming the environment variable, what was given and what is allowed, without Java class names.
 * Failures that are not about configuration are passed on as their deepest message.
 */
public final class StartupFailure {

    private static final Pattern CONVERSION = Pattern.compile(
            "SRCFG00039: The config property (\\S+) with the config value \"(.*?)\" threw an Exception whilst being converted (.*)");
    private static final Pattern REQUIRED = Pattern.compile("SRCFG00014: The config property (\\S+) is required");
    private static final Pattern ENUM = Pattern.compile("SRCFG00049: Cannot convert .* to enum class \\S+, allowed values: (.*)");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(KWSYNC_[A-Z0-9_]+|kwsync\\.[a-z0-9.-]+)");
    private static final Pattern JAVA_CLASS = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][\\w$]*(?:Exception|Error)?:?\\s*");

    private StartupFailure() {
    }

    /** The text to print for a failed start; "Invalid configuration:\n  - ..." when it is about configuration. */
    public static String describe(Throwable failure) {
        return describe(failure, StartupFailure::applicationProperty);
    }

    /**
     * @param rawProperty a property's value as written in the service's application.properties (to tell which
     *                    KWSYNC_* variable feeds a quarkus.* property), or null
     */
    static String describe(Throwable failure, Function<String, String> rawProperty) {
        Map<String, String> problems = new LinkedHashMap<>();
        Throwable deepest = failure;
        Throwable bind = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidConfigurationException i) return i.getMessage();
            String message = t.getMessage();
            if (t instanceof BindException || message != null && (message.contains("Address already in use")
                    || message.contains("Cannot assign requested address"))) {
                if (bind == null) bind = t; // the outermost says which host and port
            }
            if (message != null) {
                for (String line : message.split("\n")) {
                    String p = configProblem(line, rawProperty);
                    // a variable read through two properties (quarkus.http.port and kwsync.http.port) is told once
                    if (p != null) problems.putIfAbsent(p.replaceFirst(" \\([a-z][\\w.-]*\\)", ""), p);
                }
            }
            if (message != null && !message.isBlank()) deepest = t;
        }
        if (bind != null) problems.putIfAbsent("bind", bindProblem(bind, rawProperty));
        if (!problems.isEmpty()) return new InvalidConfigurationException(List.copyOf(problems.values())).getMessage();
        return plain(EnvVars.nameVariables(String.valueOf(deepest.getMessage())));
    }

    /** One line of a configuration-system message as a problem naming its variable, or null. */
    static String configProblem(String line, Function<String, String> rawProperty) {
        Matcher m = CONVERSION.matcher(line);
        if (m.find()) {
            String given = m.group(2);
            String why = m.group(3);
            Matcher e = ENUM.matcher(why);
            String allowed;
            if (e.find()) {
                allowed = "is not allowed: use one of " + String.join(", ", new TreeSet<>(List.of(e.group(1).split(","))));
            } else if (why.toLowerCase(Locale.ROOT).contains("duration")) {
                allowed = "is not a duration: write a number and a unit, e.g. 500ms, 30s, 5m or 2h";
            } else if (why.contains("SRCFG00029") || why.contains("For input string") || why.contains("integer")) {
                allowed = "is not a whole number";
            } else {
                allowed = "cannot be used: " + plain(why);
            }
            return variable(m.group(1), rawProperty) + " '" + given + "' " + allowed;
        }
        Matcher r = REQUIRED.matcher(line);
        if (r.find()) return variable(r.group(1), rawProperty) + " is required";
        return null;
    }

    /** "KWSYNC_X (kwsync.x)", also for a quarkus.* property whose value in application.properties is ${KWSYNC_X...}. */
    static String variable(String property, Function<String, String> rawProperty) {
        if (property.startsWith("kwsync.")) return EnvVars.of(property) + " (" + property + ")";
        String raw = rawProperty.apply(property);
        Matcher v = raw == null ? null : VARIABLE.matcher(raw);
        if (v != null && v.find()) {
            String name = v.group(1);
            return name.startsWith("KWSYNC_") ? name + " (" + property + ")" : EnvVars.of(name) + " (" + name + ")";
        }
        return property;
    }

    private static String bindProblem(Throwable bind, Function<String, String> rawProperty) {
        String why = bind.getMessage() == null ? "the address cannot be used" : plain(bind.getMessage()).toLowerCase(Locale.ROOT);
        String hint = why.contains("in use")
                ? "another process listens there: choose a free port or stop that process"
                : "it is not an address of this machine: use 0.0.0.0 (all interfaces) or one of its own addresses";
        return variable("quarkus.http.port", rawProperty) + " / " + variable("quarkus.http.host", rawProperty)
                + ": the HTTP server cannot listen (" + why + "); " + hint;
    }

    /** Drops Java class names ("java.lang.IllegalStateException: ") from a message. */
    static String plain(String message) {
        return JAVA_CLASS.matcher(message).replaceAll("").strip();
    }

    /** From the service's (and shared-runtime's) configuration files, as written. */
    private static String applicationProperty(String property) {
        for (String file : new String[]{"application.properties", "META-INF/microprofile-config.properties"}) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try {
                for (var urls = loader.getResources(file); urls.hasMoreElements(); ) {
                    try (InputStream in = urls.nextElement().openStream()) {
                        Properties p = new Properties();
                        p.load(in);
                        if (p.getProperty(property) != null) return p.getProperty(property);
                    }
                }
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
