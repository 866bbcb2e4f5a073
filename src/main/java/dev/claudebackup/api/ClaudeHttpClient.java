package dev.claudebackup.api;

import java.io.IOException;
import java.net.URI;
import java.util.List;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
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

    private final URI baseUrl;
    private final String sessionKey;
    private final String userAgent;

    public ClaudeHttpClient(URI baseUrl, String sessionKey, String userAgent) {
        this.baseUrl = baseUrl;
        this.sessionKey = sessionKey;
        this.userAgent = userAgent;
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
            RouteInfo route = HttpClientContext.castOrCreate(context).getHttpRoute();
            if (route == null || !sameOrigin(route.getTargetHost())) {
                return super.execute(request, connection, informationCallback, context);
            }
            request.addHeader("Cookie", "sessionKey=" + sessionKey);
            try {
                return super.execute(request, connection, informationCallback, context);
            } finally {
                request.removeHeaders("Cookie");
            }
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
