package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.cli.Configuration;
import dev.claudebackup.demo.FakeClaudeApi.Request;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** How hard claude.ai is asked, measured by the server: connections in flight, and the pace of chat fetches. */
class PolitenessTest {

    @TempDir
    Path dir;
    ApiFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(16);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void neverMoreRequestsInFlightThanConnectionsAndWithoutADelayItReachesThem() throws Exception {
        fixture.api.latency(100);

        BackupRunner.Result result = fixture.backup(dir, "--connections", "4", "--success-delay", "0");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(4, fixture.api.maxInFlight(), "at most 4 at once, and 4 reached");
    }

    @Test
    void oneConnectionMeansOneRequestAtATimeListsAndChatsTogether() throws Exception {
        fixture.api.latency(20);
        fixture.account.addOrganization("Second", "chat");
        fixture.account.addChat(fixture.account.organizations().get(1).uuid(), "Elsewhere", 1, false);

        BackupRunner.Result result = fixture.backup(dir, "--connections", "1", "--success-delay", "0");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(1, fixture.api.maxInFlight());
        assertEquals(1 + 2 + 17 + 2 * 3, fixture.api.requests().size(),
                "the account, two lists, 17 chats; each organization's project list, memory and styles");
    }

    @Test
    void theSuccessDelaySpacesTheStartsOfChatFetchesAcrossAllConnections() throws Exception {
        BackupRunner.Result result = fixture.backup(dir, "--connections", "4", "--success-delay", "0.15");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        List<Request> fetches = fixture.requests(ApiFixture.anyChatRequest());
        assertEquals(16, fetches.size());
        long[] gaps = ApiFixture.gapsMillis(fetches);
        assertPaced(fetches, 150);
    }

    @Test
    void retriesOfChatFetchesArePacedLikeEveryOtherFetch() throws Exception {
        for (int i = 0; i < 8; i++) {
            fixture.failFirst(1, ApiFixture.chatRequest(fixture.chat(i)), ApiFixture.status(503));
        }

        BackupRunner.Result result = fixture.backup(dir, "--connections", "4", "--success-delay", "0.1", "--min-retry-delay", "0.001");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        List<Request> fetches = fixture.requests(ApiFixture.anyChatRequest());
        assertEquals(24, fetches.size());
        assertPaced(fetches, 100);
    }

    /**
     * The throttle lets one fetch through every {@code millis}; the steps between it and the server
     * (and a busy machine) shift each start the server sees by a few milliseconds either way, so a
     * single gap gets a third of the period as slack (unpaced, gaps are a few milliseconds), and the
     * whole span, which only its two ends can shift, a third once.
     */
    private static void assertPaced(List<Request> fetches, long millis) {
        long[] gaps = ApiFixture.gapsMillis(fetches);
        assertTrue(Arrays.stream(gaps).allMatch(gap -> gap >= millis - millis / 3), Arrays.toString(gaps));
        long span = (fetches.get(fetches.size() - 1).startedNanos() - fetches.get(0).startedNanos()) / 1_000_000;
        assertTrue(span >= gaps.length * millis - millis / 3, "at most one start per " + millis + " ms on average: " + span + " ms");
    }

    @Test
    void everyRequestHasABrowserUserAgentAcceptsJsonAndCarriesOnlyTheSessionCookie() throws Exception {
        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        String userAgent = Configuration.builtIn().getProperty("claude.user-agent");
        assertTrue(userAgent.startsWith("Mozilla/5.0 ") && userAgent.contains("Chrome/"), userAgent);
        for (Request request : fixture.api.requests()) {
            assertEquals(userAgent, request.header("User-Agent"), request.path());
            assertEquals("application/json", request.header("Accept"), request.path());
            assertEquals("sessionKey=" + BackupRunner.SESSION_KEY, request.header("Cookie"), request.path());
            assertEquals(1, request.headers().get("cookie").size());
        }
    }

    @Test
    void theUserAgentIsAProperty() throws Exception {
        fixture.environment.put("CLAUDE_USER_AGENT", "Mozilla/5.0 (Test) Firefox/145.0");

        fixture.backup(dir);

        assertTrue(fixture.api.requests().stream().allMatch(r -> "Mozilla/5.0 (Test) Firefox/145.0".equals(r.header("User-Agent"))),
                fixture.api.requests().get(0).headers().toString());
    }
}
