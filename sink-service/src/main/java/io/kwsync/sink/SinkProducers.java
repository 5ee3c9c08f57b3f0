package io.kwsync.sink;

import io.kwsync.sink.config.Destinations;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The {@link RowSink} of the destination KWSYNC_SINK_TYPE names, and the service's clock. */
@ApplicationScoped
public class SinkProducers {

    /**
     * Created at start, so a wrong password or database stops the service before it consumes anything. The
     * destination's own producer disposes of it at shutdown.
     */
    @Produces
    @Singleton
    @Startup
    RowSink rowSink(Destinations destinations, @Any Instance<RowSink> all) {
        return destinations.select(all);
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
