package io.kwsync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard and the Prometheus rules only query metrics the operations page (docs/operations.md)
 * documents (which the system tests check on the running services), with balanced expressions.
 */
class MonitoringTest {

    static final Pattern METRIC = Pattern.compile("\\b((?:kwsync|kafka)_[a-z0-9_]+)");
    static final Pattern DOCUMENTED = Pattern.compile("`((?:kwsync|kafka)_[a-z0-9_]+)");

    static Set<String> documented() {
        String page = Repo.read(Repo.ROOT.resolve("docs/operations.md"));
        Set<String> names = new TreeSet<>();
        Matcher m = DOCUMENTED.matcher(page);
        while (m.find()) names.add(m.group(1));
        assertTrue(names.contains("kwsync_rows_written_total") && names.contains("kafka_consumer_fetch_manager_records_lag_max"), names.toString());
        return names;
    }

    /** Metric names used by an expression, with the _count/_sum/_max/_bucket series of summaries and timers folded. */
    static Set<String> metrics(String expr) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    static String base(String series, Set<String> documented) {
        if (documented.contains(series)) return series;
        String folded = series.replaceAll("_(count|sum|max|bucket)$", "");
        return documented.contains(folded) ? folded : series;
    }

    static void balanced(String expr) {
        int depth = 0;
        for (char c : expr.toCharArray()) {
            if (c == '(' || c == '{' || c == '[') depth++;
            if (c == ')' || c == '}' || c == ']') depth--;
            assertTrue(depth >= 0, expr);
        }
        assertEquals(0, depth, expr);
    }

    static List<String> dashboardExpressions(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isObject() && node.has("expr")) out.add(node.get("expr").asText());
        node.forEach(child -> out.addAll(dashboardExpressions(child)));
        return out;
    }

    @Test
    void dashboard() throws IOException {
        JsonNode d = Repo.JSON.readTree(Repo.K8S.resolve("grafana/kwsync-dashboard.json").toFile());
        assertEquals("kwsync-overview", d.path("uid").asText());
        assertFalse(d.path("title").asText().isEmpty());
        Set<String> documented = documented();
        List<String> exprs = dashboardExpressions(d.path("panels"));
        assertTrue(exprs.size() >= 15, "panels: " + exprs.size());
        Set<String> used = new TreeSet<>();
        for (String e : exprs) {
            balanced(e);
            metrics(e).forEach(m -> used.add(base(m, documented)));
        }
        Set<String> undocumented = new TreeSet<>(used);
        undocumented.removeAll(documented);
        assertEquals(Set.of(), undocumented, "queried but not in the metrics list of docs/operations.md");
        for (String needed : List.of("kwsync_records_consumed_total", "kwsync_rows_published_total", "kwsync_rows_written_total",
                "kwsync_records_dirty_total", "kwsync_rows_rejected_total", "kwsync_rows_duplicate_total", "kwsync_flush_seconds",
                "kwsync_batch_rows", "kafka_consumer_fetch_manager_records_lag_max")) {
            assertTrue(used.contains(needed), "the dashboard shows " + needed);
        }
        for (JsonNode p : d.path("panels")) {
            if (p.path("type").asText().equals("row")) continue;
            assertEquals("${datasource}", p.path("datasource").path("uid").asText(), p.path("title").asText());
            assertTrue(p.path("gridPos").has("w") && p.path("gridPos").has("h"));
        }
    }

    @Test
    void alertRules() {
        ObjectNode rule = Repo.yaml(Repo.K8S.resolve("monitoring/prometheusrule.yaml")).get(0);
        Set<String> documented = documented();
        int alerts = 0;
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode r : group.path("rules")) {
                alerts++;
                String expr = r.path("expr").asText();
                assertFalse(r.path("alert").asText().isEmpty());
                assertTrue(Set.of("info", "warning", "critical").contains(r.path("labels").path("severity").asText()), r.toString());
                assertFalse(r.path("annotations").path("summary").asText().isEmpty());
                balanced(expr);
                for (String m : metrics(expr)) assertTrue(documented.contains(base(m, documented)), m + " in " + r.path("alert"));
            }
        }
        assertTrue(alerts >= 4);
        assertTrue(Repo.read(Repo.K8S.resolve("monitoring/prometheusrule.yaml")).contains("kafka_consumer_fetch_manager_records_lag_max"),
                "lag is alerted on");
    }
}
