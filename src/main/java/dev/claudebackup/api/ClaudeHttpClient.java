package dev.claudebackup.api;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Sets up Camel's HTTP client for claude.ai. The session cookie is added here, at the last moment and
 * only for the configured host (scheme, name and port), so it never becomes a Camel header: Camel's
 * logs, message history and error reports cannot show it, and a request to any other host never
 * carries it.
 *
 * <p>Retries, redirects and cookie handling of the client are switched off: Camel's error handler is
 * the only one that retries (so the counts are the user's), a redirect is an error (following one could
 * send the cookie elsewhere), and no cookie from an answer is stored or sent back.
 */
public final class ClaudeHttpClient implements HttpClientConfigurer {

    /** Closes the connection of a request past its deadline; a daemon, so it never holds the JVM. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "request-deadline");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * HttpContext attribute: this request is a file download ({@code Boolean.TRUE}), whose deadline bounds
     * the wait for the answer and each stall, not the whole body (see {@link #withDeadline}).
     */
    public static final String DEADLINE_ON_STALLS = "claude-backup.deadline-on-stalls";
    /** What a download must bring in each period of backup.request-deadline to be making progress. */
    static final long MIN_PROGRESS = 64 * 1024;

    private final URI baseUrl;
    private final String sessionKey;
    private final String userAgent;
    private final Duration deadline;

    public ClaudeHttpClient(URI baseUrl, String sessionKey, String userAgent) {
        this(baseUrl, sessionKey, userAgent, Duration.ofMinutes(5));
    }

    /**
     * @param deadline the longest one request may take, its whole answer read (backup.request-deadline):
     *                 the response timeout bounds each wait for a byte, not an answer that trickles in; for a
     *                 file download, the longest wait for its answer and the longest stall
     *                 ({@link #DEADLINE_ON_STALLS})
     */
    public ClaudeHttpClient(URI baseUrl, String sessionKey, String userAgent, Duration deadline) {
        this.baseUrl = baseUrl;
        this.sessionKey = sessionKey;
        this.userAgent = userAgent;
        this.deadline = deadline;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        String origin = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority();
        builder.disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .setUserAgent(userAgent)
                .setDefaultHeaders(List.of(
                        new BasicHeader(HttpHeaders.ACCEPT, "application/json"),
                        new BasicHeader("Origin", origin),
                        new BasicHeader("Referer", origin + "/"),
                        new BasicHeader("anthropic-client-platform", "web_claude_ai")))
                .setRequestExecutor(new SessionCookieExecutor());
    }

    /**
     * Puts the cookie on the request only while its bytes are sent: after every request interceptor
     * (Camel's HTTP activity log, {@code camel.component.http.log-http-activity}, is one, and it prints
     * every header) and gone again before any response interceptor sees the request.
     */
    private final class SessionCookieExecutor extends HttpRequestExecutor {
        @Override
        public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection connection,
                                           HttpResponseInformationCallback informationCallback, HttpContext context)
                throws IOException, HttpException {
            request.removeHeaders("Cookie");
            boolean stallsOnly = Boolean.TRUE.equals(context.getAttribute(DEADLINE_ON_STALLS));
            RouteInfo route = HttpClientContext.castOrCreate(context).getHttpRoute();
            if (route == null || !sameOrigin(route.getTargetHost())) {
                return withDeadline(connection, stallsOnly, () -> super.execute(request, connection, informationCallback, context));
            }
            request.addHeader("Cookie", "sessionKey=" + sessionKey);
            try {
                return withDeadline(connection, stallsOnly, () -> super.execute(request, connection, informationCallback, context));
            } finally {
                request.removeHeaders("Cookie");
            }
        }
    }

    @FunctionalInterface
    private interface Exchange {
        ClassicHttpResponse send() throws IOException, HttpException;
    }

    /**
     * Sends the request and hands its answer on with a deadline: when the whole answer is not read by
     * then (a server trickling a byte now and then, each within the response timeout), the connection
     * is closed under the reader, which fails with {@link DeadlineTimeoutException}, a timeout retried
     * like any other.
     *
     * <p>A file download ({@link #DEADLINE_ON_STALLS}) is bounded otherwise: the deadline is for the
     * answer to start, and then for each period of that length to bring at least {@link #MIN_PROGRESS}
     * bytes. A 300 MB file at 1 MB/s takes longer than any one deadline a JSON answer needs, and would
     * fail on every try; what is bounded is a download that stalls or crawls, not one that is big.
     */
    private ClassicHttpResponse withDeadline(HttpClientConnection connection, boolean stallsOnly, Exchange exchange)
            throws IOException, HttpException {
        if (deadline.isZero()) {
            return exchange.send(); // 0: no deadline
        }
        Deadline closer = new Deadline(connection, stallsOnly);
        closer.start();
        ClassicHttpResponse response;
        try {
            response = exchange.send();
        } catch (IOException | HttpException | RuntimeException e) {
            closer.cancel();
            if (closer.expired) {
                throw new DeadlineTimeoutException(deadline, false);
            }
            throw e;
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            closer.cancel();
            return response;
        }
        closer.answerStarted();
        response.setEntity(new HttpEntityWrapper(entity) {
            @Override
            public InputStream getContent() throws IOException {
                return new FilterInputStream(super.getContent()) {
                    @Override
                    public int read() throws IOException {
                        int read = guarded(super::read);
                        ended(read < 0 ? -1 : 1);
                        return read;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        return ended(guarded(() -> super.read(buffer, offset, length)));
                    }

                    @Override
                    public void close() throws IOException {
                        closer.cancel();
                        super.close();
                    }

                    private int guarded(Read read) throws IOException {
                        try {
                            return read.read();
                        } catch (IOException e) {
                            throw closer.expired ? new DeadlineTimeoutException(deadline, stallsOnly) : e;
                        }
                    }

                    private int ended(int read) {
                        if (read < 0) {
                            closer.cancel();
                        } else {
                            closer.bytes.addAndGet(read);
                        }
                        return read;
                    }
                };
            }
        });
        return response;
    }

    /** Closes the connection when the deadline passes; for a download, only when a period brought too little. */
    private final class Deadline implements Runnable {
        private final HttpClientConnection connection;
        private final boolean stallsOnly;
        final AtomicLong bytes = new AtomicLong();
        private long counted;
        private volatile boolean answered;
        private volatile boolean done;
        volatile boolean expired;
        private volatile ScheduledFuture<?> next;

        Deadline(HttpClientConnection connection, boolean stallsOnly) {
            this.connection = connection;
            this.stallsOnly = stallsOnly;
        }

        void start() {
            schedule();
        }

        /** For a download, the first period starts with the answer. */
        synchronized void answerStarted() {
            if (stallsOnly && !done && !expired) {
                answered = true;
                counted = bytes.get();
                next.cancel(false);
                schedule();
            }
        }

        @Override
        public synchronized void run() {
            if (done) {
                return;
            }
            if (stallsOnly && answered) {
                long now = bytes.get();
                if (now - counted >= MIN_PROGRESS) {
                    counted = now;
                    schedule();
                    return;
                }
            }
            expired = true;
            connection.close(CloseMode.IMMEDIATE);
        }

        private void schedule() {
            next = DEADLINES.schedule(this, deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        void cancel() {
            done = true;
            ScheduledFuture<?> scheduled = next;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    @FunctionalInterface
    private interface Read {
        int read() throws IOException;
    }

    /** The whole answer did not come within backup.request-deadline (a download: it stalled for that long). */
    public static final class DeadlineTimeoutException extends InterruptedIOException {
        DeadlineTimeoutException(Duration deadline, boolean download) {
            super(download ? "the download stalled: less than " + MIN_PROGRESS / 1024 + " KiB came in the request deadline of "
                    + deadline.toSeconds() + " s" : "the whole answer did not come within the request deadline of " + deadline.toSeconds() + " s");
        }
    }

    private boolean sameOrigin(HttpHost target) {
        return baseUrl.getScheme().equalsIgnoreCase(target.getSchemeName())
                && baseUrl.getHost().equalsIgnoreCase(target.getHostName())
                && port(baseUrl.getScheme(), baseUrl.getPort()) == port(target.getSchemeName(), target.getPort());
    }

    private static int port(String scheme, int port) {
        return port != -1 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    @Override
    public String toString() {
        return "ClaudeHttpClient[" + baseUrl + "]"; // never the key
    }
}
