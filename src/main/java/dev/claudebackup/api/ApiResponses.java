package dev.claudebackup.api;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.MessageHelper;

/**
 * Reads what claude.ai answered and turns everything but a complete JSON document into the exception
 * that says what to do: stop the run, retry, or give up on this one request. The HTTP component does
 * not throw on failure statuses ({@code throwExceptionOnFailure=false}) so that this one place decides.
 */
public final class ApiResponses {

    private static final Set<Integer> TRANSIENT = Set.of(408, 429, 500, 502, 503, 504, 529);
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    /** The bean method the routes call right after each request. */
    public void check(Exchange exchange) {
        Message message = exchange.getMessage();
        int status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String path = exchange.getProperty("apiPath", "", String.class);
        if (message.getHeader("cf-mitigated") != null) {
            throw AccessDeniedException.blockedByCloudflare(status);
        }
        if (status >= 200 && status < 300) {
            requireCompleteJson(exchange, status);
            return;
        }
        String body = bodyText(exchange, ERROR_BODY_LIMIT);
        if (isChallengePage(body)) {
            throw AccessDeniedException.blockedByCloudflare(status);
        }
        if (status == 401 || status == 403 && isSessionError(body)) {
            throw AccessDeniedException.sessionRejected(status);
        }
        if (status == 404) {
            throw new NotFoundException(path);
        }
        if (TRANSIENT.contains(status)) {
            throw new TransientApiException(status, "HTTP " + status + " from claude.ai", retryAfter(message.getHeader("Retry-After", String.class)));
        }
        if (status >= 300 && status < 400) {
            // Redirects are never followed: the session cookie must not travel to another host.
            throw new ClaudeApiException(status, "claude.ai redirected (HTTP " + status + ") to "
                    + message.getHeader("Location", "(nowhere)", String.class) + "; redirects are not followed");
        }
        throw new ClaudeApiException(status, "unexpected answer from claude.ai (HTTP " + status + ")");
    }

    /** Parses the body that {@link #check} let through. */
    public JsonNode json(Exchange exchange) throws IOException {
        MessageHelper.resetStreamCache(exchange.getMessage());
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            return MAPPER.readTree(in);
        } finally {
            MessageHelper.resetStreamCache(exchange.getMessage());
        }
    }

    /**
     * Streams through the body once (it may be hundreds of megabytes, spooled to disk by Camel's stream
     * cache) to make sure it is one whole JSON document: a body cut short must never be saved.
     */
    private void requireCompleteJson(Exchange exchange, int status) {
        Message message = exchange.getMessage();
        MessageHelper.resetStreamCache(message);
        InputStream body = message.getBody(InputStream.class);
        if (body == null) {
            throw new TransientApiException(status, "an empty answer from claude.ai", null);
        }
        try (InputStream in = new BufferedInputStream(body); JsonParser parser = JSON.createParser(in)) {
            JsonToken first;
            try {
                first = parser.nextToken();
            } catch (JsonParseException notJson) {
                String start = bodyText(exchange, 4096);
                if (isChallengePage(start)) {
                    throw AccessDeniedException.blockedByCloudflare(status);
                }
                throw new TransientApiException(status, isHtml(start) ? "an HTML page instead of JSON from claude.ai"
                        : "the answer from claude.ai is not JSON", null);
            }
            if (first == null) {
                throw new TransientApiException(status, "an empty answer from claude.ai", null);
            }
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                throw new TransientApiException(status, "the answer from claude.ai is not a JSON object or array", null);
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new TransientApiException(status, "the answer from claude.ai has more after its JSON", null);
            }
        } catch (JsonEOFException cut) {
            throw new TransientApiException(status, "the answer from claude.ai was cut short (its JSON does not end)", null);
        } catch (JsonParseException broken) {
            throw new TransientApiException(status, "the answer from claude.ai is not valid JSON", null);
        } catch (IOException e) {
            // the connection broke while the body was read: Camel's retry repeats the request
            throw new TransientApiException(status, "the answer from claude.ai could not be read whole (" + e.getMessage() + ")", null);
        } finally {
            MessageHelper.resetStreamCache(message);
        }
    }

    /** The start of the body as text (Camel's stream cache can be read again). */
    private static String bodyText(Exchange exchange, int limit) {
        MessageHelper.resetStreamCache(exchange.getMessage());
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            return in == null ? "" : new String(in.readNBytes(limit), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } finally {
            MessageHelper.resetStreamCache(exchange.getMessage());
        }
    }

    private static boolean isHtml(String body) {
        String start = body.stripLeading().toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html");
    }

    /** Cloudflare's "Just a moment..." page: a browser check the tool cannot pass. */
    private static boolean isChallengePage(String body) {
        return isHtml(body) && body.contains("Just a moment");
    }

    private static boolean isSessionError(String body) {
        try {
            JsonNode error = MAPPER.readTree(body).path("error");
            String type = error.path("type").asText("");
            return type.equals("permission_error") || type.equals("authentication_error")
                    || error.path("details").path("error_code").asText("").equals("account_session_invalid");
        } catch (IOException e) {
            return false;
        }
    }

    /** Retry-After is either seconds or an HTTP date. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

}
