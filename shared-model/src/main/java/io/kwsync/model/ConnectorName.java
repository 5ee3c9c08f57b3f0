package io.kwsync.model;

import java.util.regex.Pattern;

/** Connector names follow the managed product's rule: 1 to 48 of [0-9a-z-], not starting with a hyphen. */
public final class ConnectorName {

    private static final Pattern VALID = Pattern.compile("[0-9a-z][0-9a-z-]{0,47}");

    private ConnectorName() {
    }

    /** Null when valid, otherwise what is wrong with it. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) return "is empty";
        if (name.length() > 48) return "is " + name.length() + " characters long; at most 48 are allowed";
        if (name.startsWith("-")) return "starts with a hyphen";
        if (!VALID.matcher(name).matches()) return "may contain only digits, lowercase letters and hyphens";
        return null;
    }
}
