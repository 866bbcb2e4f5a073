package dev.claudebackup.api;

import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Which of claude.ai's response headers become Camel message headers: only the few {@link ApiResponses}
 * reads. claude.ai answers with twenty or more (Cloudflare's, cookies, caching); Camel's default strategy
 * matches every one against its patterns, on every request, and copies it into the message, to be copied
 * again with every copy of the exchange. Request headers are never sent (skip-request-headers).
 */
public final class ResponseHeaders implements HeaderFilterStrategy {

    /** Lower case: HTTP header names are case-insensitive. */
    static final Set<String> KEPT = Set.of("cf-mitigated", "retry-after", "location", "content-type", "content-length");

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return !KEPT.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
