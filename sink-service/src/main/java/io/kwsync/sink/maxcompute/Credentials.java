package io.kwsync.sink.maxcompute;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The AccessKey pair, from mounted files or environment variables. {@link #toString} never shows the secret. */
record Credentials(String accessId, String accessKey) {

    static Credentials of(Optional<String> id, Optional<String> idFile, Optional<String> key, Optional<String> keyFile) {
        return new Credentials(read(id, idFile, "KWSYNC_MAXCOMPUTE_ACCESS_ID_FILE"), read(key, keyFile, "KWSYNC_MAXCOMPUTE_ACCESS_KEY_FILE"));
    }

    private static String read(Optional<String> value, Optional<String> file, String variable) {
        if (file.isPresent()) {
            try {
                return Files.readString(Path.of(file.get()), StandardCharsets.UTF_8).lines().findFirst().orElse("").trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + variable, e);
            }
        }
        return value.orElse("").trim();
    }

    @Override
    public String toString() {
        return "Credentials[accessId=" + accessId + ", accessKey=***]";
    }
}
