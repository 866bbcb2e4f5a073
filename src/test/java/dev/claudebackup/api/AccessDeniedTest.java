package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Request;
import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * claude.ai will not talk to us: the session key was refused, or Cloudflare blocked the request. Never
 * retried; the run stops at once with exit status 3 and says what to do.
 */
class AccessDeniedTest {

    private static final String SESSION_REFUSED = "claude.ai refused the session key";
    private static final String CLOUDFLARE = "claude.ai's Cloudflare blocked the request";
    private static final String CHALLENGE = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head>"
            + "<body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>";

    @TempDir
    Path dir;
    ApiFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(10);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void a401ForTheAccountStopsTheRunWithExit3AndNoRetry() throws Exception {
        fixture.failAlways(ApiFixture.accountRequest(), sessionError(401, "authentication_error"));

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertEquals(1, fixture.api.requests().size(), "no retry, and nothing else asked");
        assertEquals(1, count(result.stderr(), SESSION_REFUSED + " (HTTP 401): it may have expired"), result.stderr());
        assertTrue(result.stderr().contains("copy the new sessionKey cookie"), "says how to get a new key: " + result.stderr());
        assertFalse(result.stderr().contains("Retrying"), result.stderr());
        assertEquals(Map.of(), BackupTree.files(dir));
    }

    @Test
    void a403PermissionErrorForAListStopsTheRunWithExit3AndNoRetry() throws Exception {
        fixture.failAlways(ApiFixture.listRequest(), sessionError(403, "permission_error"));

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertEquals(1, fixture.requests(ApiFixture.listRequest()).size());
        assertEquals(0, fixture.requests(ApiFixture.anyChatRequest()).size());
        assertTrue(result.stderr().contains(SESSION_REFUSED + " (HTTP 403)"), result.stderr());
    }

    @Test
    void aCloudflareChallengePageStopsTheRunWithExit3AndAdvice() throws Exception {
        fixture.failAlways(ApiFixture.chatRequest(fixture.chat(0)), new Response(403, Map.of("Content-Type", "text/html"),
                CHALLENGE.getBytes(StandardCharsets.UTF_8)));

        BackupRunner.Result result = fixture.backup(dir, "--connections", "1");

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertEquals(1, fixture.requests(ApiFixture.chatRequest(fixture.chat(0))).size(), "never retried");
        assertEquals(1, count(result.stderr(), CLOUDFLARE + " (HTTP 403"), result.stderr());
        assertTrue(result.stderr().contains("fewer connections") && result.stderr().contains("a longer delay")
                && result.stderr().contains("no VPN"), result.stderr());
        // The fetch threads race for the one connection, so other chats may go first; none may go after.
        long refusedAt = fixture.requests(ApiFixture.chatRequest(fixture.chat(0))).get(0).startedNanos();
        assertTrue(fixture.requests(ApiFixture.anyChatRequest()).stream().allMatch(r -> r.startedNanos() <= refusedAt),
                "no chat was asked for after the refused one");
    }

    @Test
    void theCfMitigatedHeaderMeansCloudflareWhateverTheStatus() throws Exception {
        fixture.failAlways(ApiFixture.accountRequest(), new Response(200, Map.of("Content-Type", "text/html", "cf-mitigated", "challenge"),
                CHALLENGE.getBytes(StandardCharsets.UTF_8)));

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertEquals(1, fixture.api.requests().size());
        assertTrue(result.stderr().contains(CLOUDFLARE + " (HTTP 200"), result.stderr());
    }

    @Test
    void a503ChallengePageWithoutTheHeaderIsCloudflareToo() throws Exception {
        fixture.failAlways(ApiFixture.accountRequest(), new Response(503, Map.of("Content-Type", "text/html"),
                CHALLENGE.getBytes(StandardCharsets.UTF_8)));

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertEquals(1, fixture.api.requests().size(), "not retried like an ordinary 503");
        assertTrue(result.stderr().contains(CLOUDFLARE + " (HTTP 503"), result.stderr());
    }

    /**
     * The fourth chat request is answered 401 at once while the others take 300 ms: those in flight
     * finish and are saved, nothing new is asked (not even the next organization's list), and every
     * file of the earlier run that was not saved again is untouched.
     */
    @Test
    void a401MidRunStopsAtOnceLettingInFlightChatsFinish() throws Exception {
        SampleAccount.Organization second = fixture.account.addOrganization("Second", "chat");
        for (int i = 0; i < 3; i++) {
            fixture.account.addChat(second.uuid(), "Other chat " + i, 1, false);
        }
        assertEquals(ExitStatus.OK, fixture.backup(dir).status());
        Map<String, byte[]> before = BackupTree.files(dir);
        Map<String, FileTime> modifiedBefore = modificationTimes();
        for (SampleAccount.Organization organization : fixture.account.organizations()) {
            for (SampleAccount.Chat chat : fixture.account.chatList(organization.uuid())) {
                fixture.account.updateChat(organization.uuid(), chat.uuid());
            }
        }
        fixture.api.clearRequests();
        AtomicInteger chatRequests = new AtomicInteger();
        Predicate<Request> isChat = ApiFixture.anyChatRequest();
        fixture.api.intercept(request -> {
            if (isChat.test(request) && chatRequests.incrementAndGet() == 4) {
                return Optional.of(sessionError(401, "authentication_error"));
            }
            sleep(300);
            return Optional.empty();
        });

        BackupRunner.Result result = fixture.backup(dir, "--connections", "3");

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertEquals(1, count(result.stderr(), SESSION_REFUSED), result.stderr());
        List<Request> requests = fixture.api.requests();
        Request refused = fixture.requests(isChat).get(3);
        long late = requests.stream().filter(r -> r.startedNanos() - refused.startedNanos() > 150_000_000L).count();
        assertEquals(0, late, "no request started after the 401 came back: " + requests);
        assertTrue(fixture.requests(isChat).size() <= 6, "the 401 and at most two in flight with it: " + requests.size());
        assertEquals(0, fixture.requests(r -> r.path().contains(second.uuid())).size(), "the next organization was not begun");

        Map<String, byte[]> after = BackupTree.files(dir);
        assertEquals(before.keySet(), after.keySet(), "no file added or removed");
        List<String> saved = result.stdoutLines();
        assertEquals(fixture.requests(isChat).size() - 1, saved.size(), "every chat in flight finished: " + result);
        for (String path : before.keySet()) {
            boolean savedAgain = saved.stream().anyMatch(line -> path.contains(line.substring(0, 36)));
            if (!savedAgain && path.contains("/chat_conversations/")) {
                assertArrayEquals(before.get(path), after.get(path), path);
                assertEquals(modifiedBefore.get(path), modificationTimes().get(path), "not even rewritten: " + path);
            }
        }
        for (String path : before.keySet()) {
            if (path.contains(ChatFileSlug.of(second))) {
                assertArrayEquals(before.get(path), after.get(path), "the other organization is untouched: " + path);
                assertEquals(modifiedBefore.get(path), modificationTimes().get(path), "not even rewritten: " + path);
            }
        }
    }

    private Map<String, FileTime> modificationTimes() throws Exception {
        Map<String, FileTime> times = new HashMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path)) {
                    times.put(dir.relativize(path).toString(), Files.getLastModifiedTime(path));
                }
            }
        }
        return times;
    }

    /** The folder name of an organization. */
    private static final class ChatFileSlug {
        static String of(SampleAccount.Organization organization) {
            return dev.claudebackup.store.ChatFileNamer.slug(organization.name(), organization.uuid());
        }
    }

    static Response sessionError(int status, String type) {
        return Response.json(status, "{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"Invalid authorization\","
                + "\"details\":{\"error_code\":\"account_session_invalid\"}}}");
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
