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
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
    /** Exchange property: what the answer must be (see {@link Expect}); without it, any whole JSON object or array. */
    public static final String EXPECT_PROPERTY = "apiExpect";
    /** Exchange property: the uuid a {@code chat} or {@code project} answer must have. */
    public static final String EXPECT_UUID_PROPERTY = "apiExpectUuid";
    private static final JsonFactory JSON = ApiJson.factory();
    private static final ObjectMapper MAPPER = ApiJson.mapper();
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
                    + dev.claudebackup.report.Console.printable(message.getHeader("Location", "(nowhere)", String.class)) + "; redirects are not followed");
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
     * cache; it is never built in memory here) to make sure it is one whole JSON document, and what was
     * asked for: a body cut short, an error object, {@code {}} or another chat's JSON must never be saved.
     */
    private void requireCompleteJson(Exchange exchange, int status) {
        Message message = exchange.getMessage();
        Expect expect = Expect.of(exchange.getProperty(EXPECT_PROPERTY, String.class));
        String expectedUuid = exchange.getProperty(EXPECT_UUID_PROPERTY, String.class);
        MessageHelper.resetStreamCache(message);
        InputStream body = message.getBody(InputStream.class);
        if (body == null) {
            throw new TransientApiException(status, "an empty answer from claude.ai", null);
        }
        Shape shape;
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
            shape = first == JsonToken.START_OBJECT ? Shape.read(parser) : Shape.ARRAY;
            if (first == JsonToken.START_ARRAY) {
                parser.skipChildren();
            }
            if (parser.nextToken() != null) {
                throw new TransientApiException(status, "the answer from claude.ai has more after its JSON", null);
            }
        } catch (StreamConstraintsException tooBig) {
            // Not a bad moment: the same answer comes again, so it is not retried.
            throw new ClaudeApiException(status, "the answer from claude.ai is beyond what a chat can hold ("
                    + tooBig.getOriginalMessage() + ")");
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
        String wrong = shape.mismatch(expect, expectedUuid);
        if (wrong != null) {
            // claude.ai's error objects and the odd empty answer come with 200 too: a bad moment, retried
            throw new TransientApiException(status, wrong, null);
        }
    }

    /** What an answer must be, as the exchange property {@value #EXPECT_PROPERTY} says. */
    enum Expect {
        ANY, ACCOUNT, LIST, OBJECT, CHAT, PROJECT;

        static Expect of(String value) {
            if (value == null || value.isBlank()) {
                return ANY;
            }
            return Expect.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The top level of an answer, read as a stream: the fields that tell what it is, every other value
     * skipped unread into memory.
     */
    record Shape(boolean array, String type, String errorType, String errorMessage, String uuid, boolean hasMessages,
                 boolean hasData, int fields) {

        static final Shape ARRAY = new Shape(true, null, null, null, null, false, false, 0);

        /** Reads the object the parser is at the start of, to its end. */
        static Shape read(JsonParser parser) throws IOException {
            String type = null;
            String errorType = null;
            String errorMessage = null;
            String uuid = null;
            boolean messages = false;
            boolean data = false;
            int fields = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                fields++;
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING && field.equals("type")) {
                    type = parser.getText();
                } else if (value == JsonToken.VALUE_STRING && field.equals("uuid")) {
                    uuid = parser.getText();
                } else if (value == JsonToken.START_ARRAY && (field.equals("chat_messages") || field.equals("data"))) {
                    messages |= field.equals("chat_messages");
                    data |= field.equals("data");
                    parser.skipChildren();
                } else if (value == JsonToken.START_OBJECT && field.equals("error")) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = parser.currentName();
                        JsonToken innerValue = parser.nextToken();
                        if (innerValue == JsonToken.VALUE_STRING && inner.equals("type")) {
                            errorType = parser.getText();
                        } else if (innerValue == JsonToken.VALUE_STRING && inner.equals("message")) {
                            errorMessage = parser.getText();
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return new Shape(false, type, errorType, errorMessage, uuid, messages, data, fields);
        }

        /** Why the answer is not what was asked for, or null when it is. */
        String mismatch(Expect expect, String expectedUuid) {
            if (!array && "error".equals(type)) {
                String what = errorType == null ? "" : " " + errorType;
                String said = errorMessage == null ? "" : ": " + shorten(errorMessage);
                return "an error object" + what + " instead of the answer from claude.ai" + said;
            }
            return switch (expect) {
                case ANY -> null;
                case ACCOUNT -> array || uuid == null ? "the answer from claude.ai is not an account (an object with a uuid)" : null;
                case LIST -> array || hasData ? null : "the answer from claude.ai is not a list (an array, or an object with a data array)";
                case OBJECT -> array ? "the answer from claude.ai is an array, not an object" : null;
                case CHAT, PROJECT -> {
                    String kind = expect == Expect.CHAT ? "chat" : "project";
                    if (array) {
                        yield "the answer from claude.ai is an array, not the " + kind + " asked for";
                    }
                    if (uuid == null || expectedUuid == null || !uuid.equalsIgnoreCase(expectedUuid)) {
                        yield uuid == null ? "the answer from claude.ai is not a " + kind + " (it has no uuid)"
                                : "the answer from claude.ai is another " + kind + " (" + shorten(uuid) + ") than the one asked for";
                    }
                    yield expect == Expect.CHAT && !hasMessages ? "the answer from claude.ai is not a whole chat (it has no chat_messages)" : null;
                }
            };
        }

        private static String shorten(String text) {
            return text.length() > 80 ? text.substring(0, 80) + "…" : text;
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

    /** Whether the text starts as an HTML page does. */
    public static boolean isHtml(String body) {
        String start = body.stripLeading().toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html");
    }

    /** Cloudflare's "Just a moment..." page: a browser check the tool cannot pass. */
    public static boolean isChallengePage(String body) {
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
