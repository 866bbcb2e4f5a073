package dev.claudebackup.search;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.claudebackup.search.SearchQuery.BadQueryException;

/**
 * {@code GET /api/search?q=QUERY&limit=N} (CONTRACTS.md point 6): {@code {"query", "results": [...]}}
 * best first, or 400 with {@code {"error"}} for a query that cannot be searched.
 */
public final class SearchApi {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IndexSearch search;

    public SearchApi(IndexSearch search) {
        this.search = search;
    }

    public void answer(Exchange exchange) throws JsonProcessingException, SQLException {
        Message message = exchange.getMessage();
        String typed = message.getHeader("q", "", String.class);
        String limitGiven = message.getHeader("limit", String.class);
        message.removeHeaders("*");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        ReadablePages.secure(message, false);
        int limit;
        SearchQuery query;
        try {
            limit = limit(limitGiven);
            query = SearchQuery.parse(typed);
        } catch (BadQueryException e) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            message.setBody(JSON.writeValueAsString(Map.of("error", e.getMessage())));
            return;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (SearchHit hit : search.search(query, SearchFilters.NONE, limit)) {
            results.add(hit.json());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("query", typed);
        answer.put("results", results);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setBody(JSON.writeValueAsString(answer));
    }

    private static int limit(String given) throws BadQueryException {
        if (given == null || given.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(given.strip());
            if (limit >= 1) {
                return Math.min(limit, MAX_LIMIT);
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new BadQueryException("limit is a number from 1 to " + MAX_LIMIT + ", not \"" + given + "\".");
    }
}
