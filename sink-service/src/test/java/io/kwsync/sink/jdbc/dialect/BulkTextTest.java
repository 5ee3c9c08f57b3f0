package io.kwsync.sink.jdbc.dialect;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BulkTextTest {

    @Test
    void fieldsAreTabSeparatedRowsEndWithANewlineAndSpecialCharactersAreEscaped() {
        BulkText t = new BulkText(true);
        t.ascii("1");
        t.text("a\tb\nc\rd\\e\u0000f");
        t.nullField();
        t.text("\\N");
        t.endRow();
        t.text("ünï 😀\t");
        t.text("");
        t.endRow();
        assertEquals("1\ta\\tb\\nc\\rd\\\\e\\0f\t\\N\t\\\\N\nünï 😀\\t\t\n", t.toString());
        assertEquals(2, t.rows());
        assertEquals(t.toString().getBytes(StandardCharsets.UTF_8).length, t.size());
    }

    @Test
    void postgresKeepsNulForTheDatabaseToRefuseAndBytesAreHex() {
        BulkText t = new BulkText(false);
        t.text("a\u0000");
        t.hex(new byte[]{0, 10, (byte) 0xff});
        t.endRow();
        assertEquals("a\u0000\t\\\\x000aff\n", t.toString());
    }

    @Test
    void growsPastItsFirstBufferAndResets() {
        BulkText t = new BulkText(true);
        String wide = "x\t".repeat(50_000);
        t.text(wide);
        t.endRow();
        assertEquals(wide.replace("\t", "\\t") + "\n", t.toString());
        t.reset();
        assertEquals(0, t.size());
        assertEquals(0, t.rows());
        t.ascii("7");
        t.endRow();
        assertEquals("7\n", t.toString());
    }

    /** ASCII is written char by char; a value that turns out not to be ASCII is rewritten from its UTF-8 bytes. */
    @Test
    void aValueEscapedAsAsciiAndThenFoundToBeUnicodeIsWrittenOnce() {
        BulkText t = new BulkText(true);
        t.text("a\tb\\c");
        t.text("x\ty\u0000é\n");
        t.text("plain");
        t.endRow();
        assertEquals("a\\tb\\\\c\tx\\ty\\0é\\n\tplain\n", t.toString());
        assertEquals(t.toString().getBytes(StandardCharsets.UTF_8).length, t.size());
    }
}
