package dev.claudebackup.api;

import java.time.Duration;
import java.util.Optional;

/** A bad moment of claude.ai's (429, 5xx, a body cut short): worth another try after a pause. */
public class TransientApiException extends ClaudeApiException {

    private final Duration retryAfter;

    public TransientApiException(int status, String message, Duration retryAfter) {
        super(status, message);
        this.retryAfter = retryAfter;
    }

    /** The pause the server asked for with Retry-After, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
