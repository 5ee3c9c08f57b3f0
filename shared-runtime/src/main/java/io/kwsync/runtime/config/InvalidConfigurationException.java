package io.kwsync.runtime.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Thrown at start-up when the configuration is unusable. Lists every problem at once, each naming its
 * environment variable, so an operator fixes the Deployment in one round.
 */
public class InvalidConfigurationException extends RuntimeException {

    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super("Invalid configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    /** Collects problems; {@link #throwIfAny()} ends the check. */
    public static final class Collector {
        private final List<String> problems = new ArrayList<>();

        /** Records "ENV_VAR (property) message" when {@code ok} is false. */
        public Collector check(boolean ok, String property, String message) {
            if (!ok) problems.add(EnvVars.of(property) + " (" + property + ") " + message);
            return this;
        }

        public Collector problem(String property, String message) {
            return check(false, property, message);
        }

        /** How many problems so far: a reader compares counts to tell whether its own part added any. */
        public int size() {
            return problems.size();
        }

        public boolean isEmpty() {
            return problems.isEmpty();
        }

        public void throwIfAny() {
            if (!problems.isEmpty()) throw new InvalidConfigurationException(problems);
        }
    }
}
