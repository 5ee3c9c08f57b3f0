package io.kwsync.ingest.mapping;

import io.kwsync.model.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HeadersJsonTest {

    static Header h(String name, String value) {
        return new Header(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void noHeadersIsAnEmptyObject() {
        assertEquals("{}", HeadersJson.of(List.of()));
    }

    @Test
    void textHeadersAreStringsInFirstAppearanceOrder() {
        assertEquals("{\"trace\":\"abc\",\"tenant\":\"中文\",\"empty\":\"\"}",
                HeadersJson.of(List.of(h("trace", "abc"), h("tenant", "中文"), h("empty", ""))));
    }

    @Test
    void nullValueIsJsonNull() {
        assertEquals("{\"n\":null}", HeadersJson.of(List.of(h("n", null))));
    }

    @Test
    void repeatedNamesBecomeAnArrayOfTheirValuesInOrder() {
        assertEquals("{\"hop\":[\"a\",null,\"c\"],\"x\":\"1\"}",
                HeadersJson.of(List.of(h("hop", "a"), h("x", "1"), h("hop", null), h("hop", "c"))));
    }

    @Test
    void bytesThatAreNotUtf8AreKeptAsBase64() {
        Header bin = new Header("sig", new byte[]{(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF});
        assertEquals("{\"sig\":{\"base64\":\"3q2+7w==\"}}", HeadersJson.of(List.of(bin)));
        assertEquals("{\"sig\":[{\"base64\":\"3q2+7w==\"},\"ok\"]}", HeadersJson.of(List.of(bin, h("sig", "ok"))));
    }

    @Test
    void specialCharactersAreEscaped() {
        assertEquals("{\"a\\\"b\":\"line\\nbreak \\\\ \\u0001\"}", HeadersJson.of(List.of(h("a\"b", "line\nbreak \\ \u0001"))));
    }
}
