package io.kwsync.ingest.mapping;

import io.kwsync.model.ColumnsJson;
import io.kwsync.model.JsonText;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ColumnsJsonTest {

    @Test
    void writesEveryTypeAndParsesBackToTheSameColumns() {
        Map<String, Object> cols = new LinkedHashMap<>();
        cols.put("s", "a\"b");
        cols.put("l", 7L);
        cols.put("d", new BigDecimal("1.50"));
        cols.put("t", true);
        cols.put("n", null);
        cols.put("j", new JsonText("{\"x\":[1]}"));
        cols.put("b", new byte[]{1, 2});
        String json = new String(ColumnsJson.toJson(cols), StandardCharsets.UTF_8);
        assertEquals("{\"s\":\"a\\\"b\",\"l\":7,\"d\":1.50,\"t\":true,\"n\":null,\"j\":{\"x\":[1]},\"b\":\"AQI=\"}", json);
        Map<String, Object> back = JsonColumns.parseObject(json.getBytes(StandardCharsets.UTF_8));
        assertEquals(cols.get("s"), back.get("s"));
        assertEquals(cols.get("l"), back.get("l"));
        assertEquals(cols.get("d"), back.get("d"));
        assertEquals(cols.get("j"), back.get("j"));
    }
}
