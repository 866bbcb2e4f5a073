package dev.claudebackup.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.claudebackup.search.SearchQuery.BadQueryException;

/** What a typed query becomes: only quoted strings and the operators built here reach FTS5. */
class SearchQueryTest {

    @Test
    void wordsPhrasesPrefixesOrAndExclusion() throws Exception {
        SearchQuery query = SearchQuery.parse("falafel \"dry centre\" chick* OR hummus -baked");
        assertEquals(List.of("\"falafel\"", "\"dry centre\"", "(\"chick\" * OR \"hummus\")"), query.required());
        assertEquals("\"falafel\" OR \"dry centre\" OR (\"chick\" * OR \"hummus\")", query.match());
        assertEquals("\"baked\"", query.excluded());
        assertNull(SearchQuery.parse("one").excluded());
        assertEquals(List.of("\"it\"\"s\""), SearchQuery.parse("it\"s").required(), "a quote inside a word is doubled");
    }

    @Test
    void whatCannotBeSearchedIsRefusedInWords() {
        for (String bad : List.of("", "   ", "OR", "a OR", "OR a", "a OR OR b", "-a", "a OR -b", "!!!", "\"\"")) {
            assertThrows(BadQueryException.class, () -> SearchQuery.parse(bad), bad);
        }
    }

    @Test
    void noTypedQueryIsAnFts5SyntaxError() throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = '" + SearchIndex.TOKENIZER + "')");
            statement.execute("INSERT INTO t (body) VALUES ('a falafel wrap')");
            for (String typed : List.of("\"", "a\"b", "*", "**", "a*b", "NEAR(a b)", "a:b", "body:falafel", "(x", "x)", "^x",
                    "x AND", "NOT x", "{body}: x", "'", "x\"*", "\"x\"**", "x -\"", "AND", "x NOT y", "\u0000x", "é*", "x OR \"y")) {
                SearchQuery query;
                try {
                    query = SearchQuery.parse(typed);
                } catch (BadQueryException refused) {
                    continue;
                }
                for (String expression : query.required()) {
                    try (PreparedStatement match = connection.prepareStatement("SELECT count(*) FROM t WHERE t MATCH ?")) {
                        match.setString(1, expression);
                        match.executeQuery().close();
                    }
                }
                try (PreparedStatement match = connection.prepareStatement("SELECT count(*) FROM t WHERE t MATCH ?")) {
                    match.setString(1, query.match());
                    match.executeQuery().close();
                }
            }
        }
    }
}
