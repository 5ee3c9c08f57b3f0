package io.kwsync.model;

import java.util.Arrays;
import java.util.Objects;

/** One Kafka record header. The value may be null, as Kafka allows. */
public record Header(String name, byte[] value) {

    public Header {
        Objects.requireNonNull(name, "header name");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && name.equals(h.name) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "(" + (value == null ? "null" : value.length + " bytes") + ")";
    }
}
