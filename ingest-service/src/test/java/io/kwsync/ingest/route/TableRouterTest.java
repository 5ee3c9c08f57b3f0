package io.kwsync.ingest.route;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Header;
import io.kwsync.model.Origin;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableRouterTest {

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Origin origin(String topic, String key, Header... headers) {
        return new Origin(topic, 0, 7, 1L, key == null ? null : utf8(key), List.of(headers));
    }

    static TableRouter router(String template) {
        return new TableRouter(TableTemplate.parse(template), Map.of(), null, 64);
    }

    static String reason(TableRouter r, Origin o, String value) {
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> r.table(o, value == null ? null : utf8(value)));
        assertEquals(DirtyRecordException.Stage.MAP, e.stage());
        assertTrue(e.getMessage().startsWith("routing: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void fieldsAndTransformsFillTheTemplate() {
        Origin o = origin("Orders.EU", "Cust-1", new Header("tenant", utf8("t1")), new Header("tenant", utf8("acme")));
        byte[] v = utf8("{\"skip\":{\"event_type\":\"no\"},\"meta\":{\"kind\":\"Click\",\"n\":3},\"event_type\":\"page-view\",\"ok\":true}");
        assertEquals("ods_orders_eu", router("ods_${topic|lower|safe}").table(o, v));
        assertEquals("page_view_events", router("${value.event_type|safe}_events").table(o, v));
        assertEquals("click_3", router("${value.meta.kind|lower}_${value.meta.n}").table(o, v));
        assertEquals("acme_CUST_1", router("${header.tenant}_${key|upper|safe}").table(o, v));
        assertEquals("t_true", router("t_${value.ok}").table(o, v));
        assertEquals("analytics.orders", router("analytics.${value.meta.kind|lower|safe}").table(o, utf8("{\"meta\":{\"kind\":\"orders\"}}")));
    }

    @Test
    void unresolvedFieldsAndBadNamesAreDirtyWithTheReason() {
        Origin o = origin("orders", null);
        assertTrue(reason(router("${key}"), o, "{}").contains("no key"));
        assertTrue(reason(router("${header.tenant}"), o, "{}").contains("no header tenant"));
        assertTrue(reason(router("${value.type}"), o, "{\"type\":null}").contains("value.type"));
        assertTrue(reason(router("${value.type}"), o, "{\"type\":{\"a\":1}}").contains("value.type"));
        assertTrue(reason(router("${value.type}"), o, "not json").contains("value.type"));
        assertTrue(reason(router("${value.type}"), o, null).contains("value.type"));
        assertTrue(reason(router("${value.t}"), o, "{\"t\":\"a'b\"}").contains("only letters, digits and underscores"));
        assertTrue(reason(router("${value.t}"), o, "{\"t\":\"a`b\"}").contains("only letters"));
        assertTrue(reason(router("${value.t}"), o, "{\"t\":\"a.b\"}").contains("dot"));
        assertTrue(reason(router("${value.t}"), o, "{\"t\":\"\"}").contains("is empty"));
        assertTrue(reason(router("${value.t}"), o, "{\"t\":\"Select\"}").contains("reserved word"));
        assertTrue(reason(router("${value.t}"), o, "{\"t\":\"9lives\"}").contains("must not start with a digit"));
        String longName = "x".repeat(300);
        String r = reason(router("${value.t}"), o, "{\"t\":\"" + longName + "\"}");
        assertTrue(r.contains("300 characters long; at most 64"), r);
        assertTrue(r.length() < 600, "a long name is cut in the reason");
    }

    @Test
    void theMapTranslatesAndTheAllowListHolds() {
        Map<String, String> map = TableRouter.parseMap("orders => ods_orders, payments=>ods_pay\n* => ods_other");
        TableRouter mapped = new TableRouter(TableTemplate.parse("${topic}"), map, null, 64);
        assertEquals("ods_orders", mapped.table(origin("orders", null), null));
        assertEquals("ods_other", mapped.table(origin("anything", null), null));
        TableRouter strict = new TableRouter(TableTemplate.parse("${topic}"), Map.of("a", "t_a"), null, 64);
        assertTrue(reason(strict, origin("b", null), "{}").contains("no entry for \"b\""));

        TableRouter allowed = new TableRouter(TableTemplate.parse("ev_${value.type}"), Map.of(),
                Pattern.compile("ev_(click|view)"), 64);
        assertEquals("ev_click", allowed.table(origin("t", null), utf8("{\"type\":\"click\"}")));
        for (int i = 0; i < 10_000; i++) { // a producer inventing names reaches no table outside the list
            String invented = "{\"type\":\"x" + i + "\"}";
            assertTrue(reason(allowed, origin("t", null), invented).contains("KWSYNC_DESTINATION_TABLE_ALLOW"));
        }
        assertThrows(IllegalArgumentException.class, () -> TableRouter.parseMap("a -> b"));
        assertThrows(IllegalArgumentException.class, () -> TableRouter.parseMap("a => b, a => c"));
    }

    @Test
    void templatesAreCheckedWhenParsed() {
        assertThrows(TableTemplate.InvalidTemplateException.class, () -> TableTemplate.parse("ods_${topic"));
        assertThrows(TableTemplate.InvalidTemplateException.class, () -> TableTemplate.parse("ods_${partition}"));
        assertThrows(TableTemplate.InvalidTemplateException.class, () -> TableTemplate.parse("${topic|camel}"));
        assertThrows(TableTemplate.InvalidTemplateException.class, () -> TableTemplate.parse("${value.a..b}"));
        assertTrue(TableTemplate.isTemplate("ods_${topic}"));
        assertNull(TableNames.problem("schema1.orders", 64, 1));
    }
}
