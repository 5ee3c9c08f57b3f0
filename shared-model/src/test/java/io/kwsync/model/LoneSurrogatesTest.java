package io.kwsync.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoneSurrogatesTest {

    @Test
    void findsSurrogatesWithoutTheirPartner() {
        assertEquals(-1, LoneSurrogates.indexIn("plain, accents é, CJK 中, emoji 😀"));
        assertEquals(1, LoneSurrogates.indexIn("x\ud800y"), "a high surrogate alone");
        assertEquals(1, LoneSurrogates.indexIn("x\udc00y"), "a low surrogate alone");
        assertEquals(0, LoneSurrogates.indexIn("\udc00\ud800"), "a pair in the wrong order is two lone halves");
        assertEquals(2, LoneSurrogates.indexIn("😀\ud83d"), "a high surrogate at the end");
        assertEquals(-1, LoneSurrogates.indexIn(""));
    }

    @Test
    void describesAndEscapesThem() {
        assertNull(LoneSurrogates.problem("ok 😀"));
        String problem = LoneSurrogates.problem("x\ud800y");
        assertTrue(problem.contains("\\uD800") && problem.contains("character 2"), problem);
        assertEquals("x\\uD800y 😀", LoneSurrogates.escaped("x\ud800y 😀"));
        assertEquals("same", LoneSurrogates.escaped("same"));
    }
}
