package dev.claudebackup.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON reader for what claude.ai sends and what the backup holds. Jackson's default limits
 * (strings of 20 million characters, nesting 1,000) refuse a real chat with a big pasted document, so
 * they are raised to what a chat can hold; the answer check and every later parse use the same limits,
 * so an answer the check let through can always be parsed (a parse failing after the check restarted the
 * retry count: retries without end).
 */
public final class ApiJson {

    /** The longest string (characters) and deepest nesting an answer may have; beyond them it is refused, not retried. */
    public static final int MAX_STRING_LENGTH = 500_000_000;
    public static final int MAX_NESTING_DEPTH = 10_000;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private ApiJson() {
    }

    public static JsonFactory factory() {
        return FACTORY;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
