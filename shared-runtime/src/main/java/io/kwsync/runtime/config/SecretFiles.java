package io.kwsync.runtime.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Secrets given either as a variable or as a file (a mounted Kubernetes Secret); the file wins. Errors name the
 * variable and the path, never the content.
 */
public final class SecretFiles {

    private SecretFiles() {
    }

    /** The first line of {@code file} when set (a Secret created from a file may end with a newline), else {@code value}. */
    public static Optional<String> firstLine(Optional<String> value, Optional<String> file, String fileProperty) {
        if (file.isPresent()) return Optional.of(read(file.get(), fileProperty).lines().findFirst().orElse(""));
        return value;
    }

    /** The whole file. */
    public static String read(String file, String property) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + EnvVars.of(property) + " (" + property + "): " + file, e);
        }
    }

    public static boolean readable(String file) {
        return Files.isRegularFile(Path.of(file)) && Files.isReadable(Path.of(file));
    }
}
