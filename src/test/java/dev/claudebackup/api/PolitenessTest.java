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
     * The promise, on the server's clock: no more than one chat fetch starts per {@code millis}, over any
     * window. The throttle lets one through every {@code millis}; between it and the server each start is
     * late by some amount, never early, and only the first of a window can be late enough to shorten it. So
     * for any two starts i &lt; j, {@code t_j - t_i >= (j - i - 1) * millis - LATE}, where {@code LATE} is how
     * much later than the one period of slack a start may reach the server on a machine two busy processes
     * share (one was seen 170 ms late there): a pace that cannot drift, whatever the load. Unpaced, starts
     * are a few milliseconds apart and the first window of five fails it. The pair (first, last) is the total span.
     */
    private static final long LATE_MILLIS = 250;

    private static void assertPaced(List<Request> fetches, long millis) {
        long[] starts = fetches.stream().mapToLong(Request::startedNanos).sorted().toArray();
        for (int i = 0; i < starts.length; i++) {
            for (int j = i + 2; j < starts.length; j++) {
                long window = (starts[j] - starts[i]) / 1_000_000;
                assertTrue(window >= (j - i - 1) * millis - LATE_MILLIS, (j - i + 1) + " starts within " + window + " ms, more than one per "
                        + millis + " ms; gaps " + Arrays.toString(ApiFixture.gapsMillis(fetches)));
            }
        }
        long span = (starts[starts.length - 1] - starts[0]) / 1_000_000;
        assertTrue(span >= (starts.length - 2) * millis - LATE_MILLIS, starts.length + " starts in " + span + " ms");
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
