package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.testing.BackupRunner;

/** The HTTP client as configured for claude.ai, against two loopback servers: where the cookie goes, and who sees it. */
class ClaudeHttpClientTest {

    FakeClaudeApi claude;
    FakeClaudeApi elsewhere;

    @BeforeEach
    void start() throws Exception {
        claude = FakeClaudeApi.startDemo();
        elsewhere = FakeClaudeApi.startDemo();
    }

    @AfterEach
    void stop() {
        claude.close();
        elsewhere.close();
    }

    @Test
    void theCookieGoesToTheBaseUrlsSchemeHostAndPortOnly() throws Exception {
        try (CloseableHttpClient client = client(new CopyOnWriteArrayList<>())) {
            get(client, claude.baseUrl());
            get(client, elsewhere.baseUrl());
            get(client, claude.baseUrl().replace("127.0.0.1", "localhost"));
        }

        assertEquals("sessionKey=" + BackupRunner.SESSION_KEY, claude.requests().get(0).header("Cookie"));
        assertNull(elsewhere.requests().get(0).header("Cookie"), "another port is another host");
        assertNull(claude.requests().get(1).header("Cookie"), "another host name is another host");
    }

    /** Camel adds its HTTP activity log as interceptors after ours: they must not see the cookie. */
    @Test
    void noInterceptorAddedAfterTheConfigurerSeesTheCookie() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (CloseableHttpClient client = client(seen)) {
            get(client, claude.baseUrl());
        }

        assertEquals("sessionKey=" + BackupRunner.SESSION_KEY, claude.requests().get(0).header("Cookie"), "it was sent");
        assertEquals(List.of("request: []", "response: []"), seen);
    }

    @Test
    void itsDescriptionHoldsNoKey() {
        assertFalse(new ClaudeHttpClient(URI.create(claude.baseUrl()), BackupRunner.SESSION_KEY, "Test").toString()
                .contains(BackupRunner.SESSION_KEY));
    }

    private CloseableHttpClient client(List<String> seen) {
        HttpClientBuilder builder = HttpClientBuilder.create();
        new ClaudeHttpClient(URI.create(claude.baseUrl()), BackupRunner.SESSION_KEY, "Test/1.0").configureHttpClient(builder);
        builder.addRequestInterceptorLast((request, entity, context) -> seen.add("request: " + List.of(request.getHeaders("Cookie"))));
        builder.addResponseInterceptorFirst((response, entity, context) -> seen.add("response: "
                + List.<Header>of(HttpClientContext.castOrCreate(context).getRequest().getHeaders("Cookie"))));
        return builder.build();
    }

    private static void get(CloseableHttpClient client, String baseUrl) throws Exception {
        client.execute(new HttpGet(baseUrl + "/api/account"), response -> null);
    }
}
