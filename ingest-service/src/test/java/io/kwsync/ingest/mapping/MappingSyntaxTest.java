package io.kwsync.ingest.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MappingSyntaxTest {

    /** Each entry as canonical-source=>column, joined by " ; ". */
    static String parsed(String text) {
        return MappingSyntax.parse(text).stream().map(e -> e.source().text() + "=>" + e.column())
                .collect(Collectors.joining(" ; "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // DataWorks' JSON field examples
            "a.a1 => greeting|a.a1=>greeting",
            "b|b=>b",
            "c[1] => second|c[1]=>second",
            "d[0].AA=>aa|d[0].AA=>aa",
            // keys with dots or other special characters are quoted in brackets
            "`[\"a.b\"] => ab`|`[\"a.b\"]=>ab`",
            "`[\"a.b\"]`|`[\"a.b\"]=>a.b`",
            "`a[\"b c\"].d => x`|`a[\"b c\"].d=>x`",
            "`a[\"b\"] => x`|a.b=>x",
            "`a[\"x=y,z\"] => x`|`a[\"x=y,z\"]=>x`",
            "`[\"tab\\there\"] => x`|`[\"tab\\there\"]=>x`",
            "`[\"\\u00e9t\\u00e9\"] => x`|été=>x",
            "[0] => first|[0]=>first",
            "[0][1].x => y|[0][1].x=>y",
            "a.b.c.d.e.f => deep|a.b.c.d.e.f=>deep",
            "a.__x => y|`a[\"__x\"]=>y`",
            "`[\"__key__\"] => k`|`[\"__key__\"]=>k`",
            "用户.名字 => name|用户.名字=>name",
            "a-b.c_d$ => x|a-b.c_d$=>x",
            "a.0 => x|a.0=>x",
            // built-in fields keep their names unless told otherwise
            "__key__, __value__, __partition__, __headers__, __offset__, __timestamp__"
                    + "|__key__=>__key__ ; __value__=>__value__ ; __partition__=>__partition__ ; __headers__=>__headers__"
                    + " ; __offset__=>__offset__ ; __timestamp__=>__timestamp__",
            "__timestamp__ => ts|__timestamp__=>ts",
            // constants
            "'123' => const|'123'=>const",
            "`'it''s, here => ok' => c`|`'it''s, here => ok'=>c`",
            "`'' => empty`|`''=>empty`",
            // separators, blanks and quoted column names
            "`  a.a1   =>   g  ,  b  `|a.a1=>g ; b=>b",
            "`a\n\n  b => bb,\n  c,\n`|a=>a ; b=>bb ; c=>c",
            "`a,\r\nb`|a=>a ; b=>b",
            "`__key__ => \"my col\"`|__key__=>my col",
            "`x => \"a\\\"b\"`|x=>a\"b",
            "`x => \"x.y\"`|x=>x.y",
            // the reader column list of DataWorks' script demo, with destination names where they are needed
            "`__key__, __value__, __partition__, __offset__, __timestamp__, '123' => const_col, event_id, tag.desc => tag_desc`"
                    + "|__key__=>__key__ ; __value__=>__value__ ; __partition__=>__partition__ ; __offset__=>__offset__"
                    + " ; __timestamp__=>__timestamp__ ; '123'=>const_col ; event_id=>event_id ; tag.desc=>tag_desc",
    })
    void parses(String text, String expected) {
        assertEquals(expected, parsed(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "a.a1|at character 1: a.a1 needs a destination column: a.a1 => column_name",
            "b, c[0].x|at character 4, after \"b, \": c[0].x needs a destination column",
            "'123'|'123' needs a destination column",
            "`[\"a.b\"].c`|needs a destination column",
            "c[1|at character 4, after \"c[1\": expected ']' to close the '[' at character 2, found the end",
            "`b, c[1, d`|at character 7, after \"b, c[1\": expected ']' to close the '[' at character 5, found ','",
            "c[-1] => y|at character 3, after \"c[\": array indexes count from 0; negative indexes are not supported",
            "c[x] => y|expected an array index or a quoted key after '[', found 'x'",
            "c[] => y|expected an array index or a quoted key after '[', found ']'",
            "c[99999999999] => y|array index 99999999999 is too large",
            "a..b => y|at character 3, after \"a.\": expected a key after '.'",
            "a.[0] => y|expected a key after '.' (write a[\"b\"] or a[0], without the dot)",
            "a. => y|expected a key after '.'",
            "__topic__|at character 1: unknown built-in field __topic__; the built-in fields are __key__, __value__,"
                    + " __partition__, __headers__, __offset__, __timestamp__ (a JSON key starting with __ is written in"
                    + " brackets: [\"__topic__\"])",
            "__key_ => k|unknown built-in field __key_;",
            "__key__.x => y|__key__ has no sub-fields (a JSON key of that name is written [\"__key__\"])",
            "`'abc => x`|at character 1: unterminated constant",
            "`'abc\n' => x`|unterminated constant",
            "`[\"a.b => x`|at character 2, after \"[\": unterminated quoted name",
            "`[\"a\\q\"] => x`|unknown escape \\q in a quoted name",
            "`[\"\\u12\"] => x`|\\u needs four hex digits",
            "a = b|at character 3, after \"a \": expected '=>' between the source field and the column name",
            "`a => `|expected a column name after '=>'",
            "`a =>, b`|expected a column name after '=>'",
            "a => b c|expected '=>', ',' or a new line after \"a => b\", found 'c'",
            "a => x]|found ']'",
            "`a\"b\" => x`|expected '=>', ',' or a new line after \"a\", found '\"'",
            "a,,b|at character 3, after \"a,\": empty entry between two commas",
            "`a, ,b`|empty entry between two commas",
            ",a|at character 1: expected a source field before ','",
            "=> x|at character 1: expected a source field, found '='",
            "`\"a\" => x`|a quoted JSON key goes in brackets",
            "a => 'x'|a column name cannot start with ''' unless it is quoted",
            "`a => \"\"`|expected a column name after '=>'",
            "`  `|names no columns",
            "`a,\nc[1`|at character 7 (line 2, column 4), after \"c[1\": expected ']'",
    })
    void rejectsWithThePosition(String text, String message) {
        InvalidMappingException e = assertThrows(InvalidMappingException.class, () -> MappingSyntax.parse(text));
        assertTrue(e.getMessage().contains(message), () -> "expected \"" + message + "\" in: " + e.getMessage());
    }

    @Test
    void longLinesShowOnlyTheEndOfWhatCameBefore() {
        InvalidMappingException e = assertThrows(InvalidMappingException.class,
                () -> MappingSyntax.parse("first_column_name => one, second.path => two, c[1 => three"));
        assertEquals("at character 50, after \"... second.path => two, c[1\": expected ']' to close the '[' at character 48,"
                + " found ' '", e.getMessage());
    }

    @Test
    void entriesKeepTheirTextAndPosition() {
        List<MappingEntry> e = MappingSyntax.parse("a.a1 => x,\n  b");
        assertEquals(0, e.get(0).position());
        assertEquals("a.a1 => x", e.get(0).text());
        assertEquals(13, e.get(1).position());
        assertEquals("b", e.get(1).text());
    }

    @Test
    void canonicalTextQuotesWhatABareNameCannotHold() {
        assertEquals("a[\"b.c\"][2][\"\"][\"x y\"][\"q\\\"\"]", new JsonPath(List.of(new JsonPath.Key("a"),
                new JsonPath.Key("b.c"), new JsonPath.Index(2), new JsonPath.Key(""), new JsonPath.Key("x y"),
                new JsonPath.Key("q\""))).toString());
        assertEquals("[\"__x\"].y", new JsonPath(List.of(new JsonPath.Key("__x"), new JsonPath.Key("y"))).toString());
    }
}
