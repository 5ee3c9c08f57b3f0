package io.kwsync.ingest.convert;

import io.kwsync.model.DirtyRecordException;
import io.kwsync.model.Origin;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonObjectMapperTest {

    static final Origin ORIGIN = new Origin("t", 0, 0, 0, null, List.of());
    static final Charset GBK = Charset.forName("GBK");

    @Test
    void aValueInAnotherCharsetIsDecodedStrictlyFirst() {
        JsonObjectMapper m = new JsonObjectMapper(RowDestination.fixed("x"), GBK);
        assertEquals(Map.of("名字", "张三"), m.map(ORIGIN, "{\"名字\":\"张三\"}".getBytes(GBK)).columns());
        DirtyRecordException e = assertThrows(DirtyRecordException.class, () -> m.map(ORIGIN, new byte[]{'{', (byte) 0x81}));
        assertTrue(e.getMessage().startsWith("value is not valid GBK text: malformed input at byte 1"), e.getMessage());
        assertEquals("value is null, expected a JSON object",
                assertThrows(DirtyRecordException.class, () -> m.map(ORIGIN, null)).getMessage());
    }
}
