package io.kwsync.ingest.config;

import io.kwsync.ingest.route.TableRouter;
import io.kwsync.ingest.route.TableTemplate;
import io.kwsync.runtime.config.InvalidConfigurationException;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Per-record routing, read at start: present when KWSYNC_DESTINATION_TABLE is a template. The table map and the
 * allow-list only mean something with a template, so both are refused otherwise instead of being silently ignored.
 * Routing applies to streaming and to window jobs alike (a job run then replaces its partitions in every table it
 * brings rows for). Every table the map names is checked here,
 * so a typo in the map stops the service at start rather than sending every record to the error topic.
 */
final class RouteSettings {

    static final String TABLE = "kwsync.destination.table";
    static final String MAP = "kwsync.destination.table-map";
    static final String ALLOW = "kwsync.destination.table-allow";
    static final String MAX_LENGTH = "kwsync.destination.table-max-length";

    private RouteSettings() {
    }

    /** The router, empty for a fixed table (or after adding the problems to {@code problems}). */
    static Optional<TableRouter> of(IngestConfig c, boolean writerMode, Function<String, Optional<String>> raw,
                                    InvalidConfigurationException.Collector problems) {
        Optional<String> table = raw.apply(TABLE);
        Optional<String> mapText = raw.apply(MAP);
        Optional<String> allowText = raw.apply(ALLOW);
        boolean template = table.filter(TableTemplate::isTemplate).isPresent();
        if (!template) {
            problems.check(mapText.isEmpty(), MAP, "applies only when KWSYNC_DESTINATION_TABLE is a template such as ${topic}");
            problems.check(allowText.isEmpty(), ALLOW, "applies only when KWSYNC_DESTINATION_TABLE is a template such as ${topic}");
            return Optional.empty();
        }
        if (writerMode) {
            problems.problem(TABLE, "is a routing template, which applies to streaming and window jobs, not to the Kafka writer");
            return Optional.empty();
        }
        int max = c.destination().tableMaxLength();
        boolean ok = max >= 1 && max <= 1024;
        problems.check(ok, MAX_LENGTH, "must be between 1 and 1024");
        TableTemplate parsed = null;
        try {
            parsed = TableTemplate.parse(table.get().strip());
        } catch (TableTemplate.InvalidTemplateException e) {
            problems.problem(TABLE, "is not a valid routing template: " + e.getMessage());
            ok = false;
        }
        Pattern allow = null;
        if (allowText.isPresent()) {
            try {
                allow = Pattern.compile(allowText.get().strip());
            } catch (PatternSyntaxException e) {
                problems.problem(ALLOW, "is not a valid regular expression: " + e.getDescription());
                ok = false;
            }
        }
        Map<String, String> map = Map.of();
        if (mapText.isPresent()) {
            try {
                map = TableRouter.parseMap(mapText.get());
            } catch (IllegalArgumentException e) {
                problems.problem(MAP, e.getMessage());
                ok = false;
            }
        }
        if (!ok) return Optional.empty();
        for (String target : map.values()) {
            String problem = TableRouter.problem(target, max, target.indexOf('.') < 0 ? 0 : 1, allow);
            if (problem != null) {
                problems.problem(MAP, "table \"" + target + "\" " + problem);
                ok = false;
            }
        }
        return ok ? Optional.of(new TableRouter(parsed, map, allow, max)) : Optional.empty();
    }
}
