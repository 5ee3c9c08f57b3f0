package io.kwsync.ingest.mapping;

import java.util.List;

/** A column mapping that cannot be used: bad syntax (with the position) or the rules it breaks, all of them. */
public class InvalidMappingException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidMappingException(String problem) {
        this(List.of(problem));
    }

    public InvalidMappingException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
