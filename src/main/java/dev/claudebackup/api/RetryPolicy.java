package dev.claudebackup.api;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.FileSystemException;
import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.file.GenericFileOperationFailedException;

import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupRun;

/**
 * Decides, for Camel's error handler, whether a failed request is tried again and after how long:
 * exponential back-off from the minimum delay, doubling up to the maximum, or the server's Retry-After
 * (capped at the maximum). The HTTP client's own retries are off, so these are the only ones.
 *
 * <p>The routes use it as the {@code onExceptionOccurred} processor of their {@code onException}. Camel
 * runs that on the failed exchange itself, after counting the failure in {@code CamelRedeliveryCounter}
 * and before it asks {@code retryWhile} and computes the delay. So this sets {@code CamelRedeliveryDelay}
 * (which Camel takes over its own computed delay) only when the request is to be tried again, and the
 * route's {@code retryWhile} is "that header is set". (A {@code retryWhile} bean method could not set the
 * delay itself: Camel calls it with a copy of the exchange.) Within a run, the pause itself is waited here,
 * and Camel retries at once after it: a stop during the pause ends it, and the request is not sent again.
 */
public final class RetryPolicy implements Processor {

    private static final String FAILED_PATH_PROPERTY = "claudeBackupFailedPath";
    private static final String FAILED_TRIES_PROPERTY = "claudeBackupFailedTries";

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

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        // failures of this request so far, this one included. Camel's counter is reset by the call-claude-api
        // route after an answer, so a failure after the answer came (its parse, its write) would start it over:
        // the exchange also counts the failures per path itself, and the larger count decides.
        String path = exchange.getProperty("apiPath", "", String.class);
        int counted = path.equals(exchange.getProperty(FAILED_PATH_PROPERTY, String.class))
                ? exchange.getProperty(FAILED_TRIES_PROPERTY, 0, Integer.class) : 0;
        int failed = Math.max(exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 1, Integer.class), counted + 1);
        exchange.setProperty(FAILED_PATH_PROPERTY, path);
        exchange.setProperty(FAILED_TRIES_PROPERTY, failed);
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
        if (failed > retries || !isTransient(failure) || run != null && run.isAborted()) {
            return;
        }
        Duration delay = delayBefore(failed, failure);
        console.info("Retrying " + exchange.getProperty("apiWhat", "a request", String.class) + " after " + FailureReasons.of(failure)
                + ": try " + (failed + 1) + " of " + (retries + 1) + " in " + seconds(delay) + " s");
        // The pause is waited here rather than by Camel, so that a stop (SIGTERM) ends it: then no retry.
        if (run != null) {
            try {
                if (run.awaitAbort(delay)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delay = Duration.ZERO;
        }
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, delay.toMillis());
    }

    /** The pause before retry number {@code retry} (1 for the first retry). */
    Duration delayBefore(int retry, Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientApiException t && t.retryAfter().isPresent()) {
                return atMostMax(t.retryAfter().get());
            }
        }
        return atMostMax(minDelay.multipliedBy(1L << Math.min(retry - 1, 30)));
    }

    private Duration atMostMax(Duration delay) {
        return delay.compareTo(maxDelay) > 0 || delay.isNegative() ? maxDelay : delay;
    }

    /**
     * 429, 5xx, a body that is not whole JSON, a dropped or reset connection, a timeout. Never a failure
     * to write the backup (a full or read-only disk stays full on the next try) nor any other answer.
     */
    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof GenericFileOperationFailedException || cause instanceof FileSystemException) {
                return false;
            }
        }
        if (isSpoolFailure(failure)) {
            return false;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientApiException) {
                return true;
            }
            if (cause instanceof ClaudeApiException) {
                return false;
            }
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The answer could not be spooled to disk by Camel's stream cache (a full disk, the spool folder gone):
     * an IOException like a network fault's, told apart by where it was thrown. Not worth another try.
     */
    public static boolean isSpoolFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                for (StackTraceElement frame : cause.getStackTrace()) {
                    if (frame.getClassName().startsWith("org.apache.camel.converter.stream.")) {
                        return true;
                    }
                    if (frame.getClassName().startsWith("org.apache.hc.")) {
                        break; // thrown reading the connection, not writing the spool
                    }
                }
            }
        }
        return false;
    }

    private static String seconds(Duration delay) {
        return BigDecimal.valueOf(delay.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
