package io.kwsync.sink.config;

import io.kwsync.runtime.config.InvalidConfigurationException;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.lang.annotation.Annotation;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which destination the service writes to: the one KWSYNC_SINK_TYPE names. A destination is a package that
 * contributes its parts as beans qualified {@code @Identifier("<type>")}: its {@code RowSink}, its window-job store
 * (its staging and run-state store under the shared protocol), its {@link DestinationCheck} and its
 * {@code DestinationHealth}. Whoever needs a part looks it up here among every destination's parts of that kind, so
 * no code outside a destination names one, and adding a destination adds a package, not a case. The debezium-server
 * way: beans of one interface, picked by name from configuration, an unknown name failing the start.
 *
 * <p>Adding a destination: a package with a {@code @ConfigMapping} of its own variables ({@code kwsync.<type>.*}, one
 * line each in the configuration reference) and one bean class producing, each {@code @Identifier("<type>")}, a
 * {@code RowSink} ({@code @Singleton}, so that picking it connects at start), a {@code JobLoadStore} ({@code JobRuns}
 * over its staging and run-state store, {@code @ApplicationScoped} so that it is created on the first job item), a
 * {@link DestinationCheck} that reads its settings once, and a {@code DestinationHealth}. The jdbc and maxcompute
 * packages are two such.
 */
@Singleton
public class Destinations {

    static final String PROPERTY = "kwsync.sink.type";

    private final String type;

    @Inject
    public Destinations(SinkConfig config) {
        this(config.sink().type());
    }

    public Destinations(String type) {
        this.type = type.strip().toLowerCase(Locale.ROOT);
    }

    /** The chosen destination's name, lower case. */
    public String type() {
        return type;
    }

    /** The chosen destination's part among {@code all} (inject them as {@code @Any Instance<T>}). */
    public <T> T select(Instance<T> all) {
        Instance<T> chosen = all.select(Identifier.Literal.of(type));
        if (chosen.isUnsatisfied()) {
            new InvalidConfigurationException.Collector().problem(PROPERTY, unknown(all)).throwIfAny();
        }
        return chosen.get();
    }

    /** The chosen destination's part among {@code all}, if it has one of this kind (not every destination need). */
    public <T> Optional<T> find(Instance<T> all) {
        Instance<T> chosen = all.select(Identifier.Literal.of(type));
        return chosen.isUnsatisfied() ? Optional.empty() : Optional.of(chosen.get());
    }

    /** Like {@link #select(Instance)}, but an unknown type is a problem of the start-up check; null then. */
    <T> T select(Instance<T> all, InvalidConfigurationException.Collector problems) {
        Instance<T> chosen = all.select(Identifier.Literal.of(type));
        if (!chosen.isUnsatisfied()) return chosen.get();
        problems.problem(PROPERTY, unknown(all));
        return null;
    }

    private String unknown(Instance<?> all) {
        return "'" + type + "' is not a destination of this service; use " + String.join(" or ", names(all));
    }

    /** The names of the destinations that contribute a part of this kind. */
    static Set<String> names(Instance<?> all) {
        Set<String> names = new TreeSet<>();
        for (Instance.Handle<?> h : all.handles()) {
            for (Annotation q : h.getBean().getQualifiers()) {
                if (q instanceof Identifier id) names.add(id.value());
            }
        }
        return names;
    }
}
