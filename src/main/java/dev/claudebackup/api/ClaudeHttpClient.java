package dev.claudebackup.api;

import java.net.URI;
import java.util.List;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * Sets up Camel's HTTP client for claude.ai. The session cookie is added here, at the last moment and
 * only for the configured host, so it never becomes a Camel header: Camel's logs, message history and
 * error reports cannot show it, and a request to any other host never carries it.
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
                .addRequestInterceptorFirst((request, entity, context) -> {
                    request.removeHeaders("Cookie");
                    try {
                        if (sameOrigin(request.getUri())) {
                            request.addHeader("Cookie", "sessionKey=" + sessionKey);
                        }
                    } catch (java.net.URISyntaxException unparsable) {
                        // no cookie for a request we cannot place
                    }
                });
    }

    private boolean sameOrigin(URI target) {
        return baseUrl.getScheme().equalsIgnoreCase(target.getScheme())
                && baseUrl.getHost().equalsIgnoreCase(target.getHost())
                && port(baseUrl) == port(target);
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public String toString() {
        return "ClaudeHttpClient[" + baseUrl + "]"; // never the key
    }
}
