package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.SocketTimeoutException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.junit.jupiter.api.Test;

import dev.claudebackup.report.Console;

/** The retry decisions themselves: which failures, how long. The routes' use of them is tested against the loopback API. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000),
            new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), true));

    @Test
    void theDelayDoublesFromTheMinimumUpToTheMaximum() {
        TransientApiException failure = new TransientApiException(503, "HTTP 503", null);
        assertEquals(Duration.ofMillis(100), policy.delayBefore(1, failure));
        assertEquals(Duration.ofMillis(200), policy.delayBefore(2, failure));
        assertEquals(Duration.ofMillis(800), policy.delayBefore(4, failure));
        assertEquals(Duration.ofMillis(1000), policy.delayBefore(5, failure));
        assertEquals(Duration.ofMillis(1000), policy.delayBefore(70, failure), "no overflow after many tries");
    }

    @Test
    void retryAfterWinsOverTheBackOffUpToTheMaximumEvenWhenWrapped() {
        assertEquals(Duration.ofMillis(0), policy.delayBefore(3, new TransientApiException(429, "HTTP 429", Duration.ZERO)));
        assertEquals(Duration.ofMillis(1000), policy.delayBefore(1, new TransientApiException(429, "HTTP 429", Duration.ofHours(1))));
        assertEquals(Duration.ofMillis(500), policy.delayBefore(1,
                new RuntimeCamelException(new TransientApiException(429, "HTTP 429", Duration.ofMillis(500)))));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        assertEquals(Duration.ofSeconds(120), ApiResponses.retryAfter(" 120 "));
        assertEquals(Duration.ZERO, ApiResponses.retryAfter("-5"));
        Duration untilDate = ApiResponses.retryAfter(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(30)));
        assertTrue(untilDate.compareTo(Duration.ofSeconds(28)) > 0 && untilDate.compareTo(Duration.ofSeconds(31)) < 0, untilDate.toString());
        assertEquals(Duration.ZERO, ApiResponses.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), "a date in the past: no wait");
        assertNull(ApiResponses.retryAfter("soon"));
        assertNull(ApiResponses.retryAfter(null));
    }

    @Test
    void onlyClaudesBadMomentsAndTheNetworksAreWorthAnotherTry() {
        assertTrue(RetryPolicy.isTransient(new TransientApiException(502, "HTTP 502", null)));
        assertTrue(RetryPolicy.isTransient(new RuntimeCamelException(new SocketTimeoutException("Read timed out"))));
        assertTrue(RetryPolicy.isTransient(new IOException("Connection reset")));
        assertFalse(RetryPolicy.isTransient(new NotFoundException("/api/x")));
        assertFalse(RetryPolicy.isTransient(AccessDeniedException.sessionRejected(401)));
        assertFalse(RetryPolicy.isTransient(new ClaudeApiException(302, "redirected")));
        assertFalse(RetryPolicy.isTransient(new GenericFileOperationFailedException("Cannot store file: x", new IOException("No space left on device"))),
                "a full disk stays full");
        assertFalse(RetryPolicy.isTransient(new FileSystemException("/backup/x", null, "Read-only file system")));
        assertFalse(RetryPolicy.isTransient(new IllegalStateException("Cannot write the backup state")));
    }
}
