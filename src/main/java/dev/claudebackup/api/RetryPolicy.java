package dev.claudebackup.api;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.Locale;

import org.apache.camel.Exchange;

import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupRun;

/**
 * Decides, for Camel's error handler, whether a failed request is tried again and after how long:
 * exponential back-off from the minimum delay, doubling up to the maximum, or the server's Retry-After
 * (capped at the maximum). The HTTP client's own retries are off, so these are the only ones.
 *
 * <p>The routes use it as the {@code retryWhile} of their {@code onException}; it sets Camel's
 * {@code CamelRedeliveryDelay} header, which the error handler takes over its own computed delay.
 */
public final class RetryPolicy {

    private final int retries;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final Console console;

    public RetryPolicy(int retries, Duration minDelay, Duration maxDelay, Console console) {
        this.retries = retries;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.console = console;
    }

    public boolean shouldRetry(Exchange exchange) {
        Throwable failure = exchange.getException();
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        if (attempt > retries || !isTransient(failure) || run != null && run.isAborted()) {
            return false;
        }
        Duration delay = delayBefore(attempt, failure);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
        console.info(String.format(Locale.ROOT, "Retrying %s after %s: try %d of %d in %.1f s",
                exchange.getProperty("apiWhat", "request", String.class), describe(failure), attempt + 1, retries + 1,
                delay.toMillis() / 1000.0));
        return true;
    }

    /** The pause before retry number {@code attempt} (1 for the first retry). */
    Duration delayBefore(int attempt, Throwable failure) {
        if (failure instanceof TransientApiException t && t.retryAfter().isPresent()) {
            Duration asked = t.retryAfter().get();
            return asked.compareTo(maxDelay) > 0 ? maxDelay : asked;
        }
        Duration delay = minDelay.multipliedBy(1L << Math.min(attempt - 1, 30));
        return delay.compareTo(maxDelay) > 0 || delay.isNegative() ? maxDelay : delay;
    }

    /** 429, 5xx, a body cut short, a reset connection or a timeout; never a full disk. */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientApiException) {
                return true;
            }
            if (cause instanceof ClaudeApiException || cause instanceof FileSystemException) {
                return false;
            }
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable failure) {
        if (failure instanceof ClaudeApiException) {
            return failure.getMessage();
        }
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }
}
