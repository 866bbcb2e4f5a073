package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * claude.ai's bad moments, each injected into the loopback API: retried by Camel's error handler as
 * often as asked and no more, after the pause asked, measured at the server.
 */
class RetriesTest {

    /** The answers worth another try, one per chat; the last chat's connection is dropped. */
    private static final int[] TRANSIENT = {408, 429, 500, 502, 503, 504, 529};

    @TempDir
    Path dir;
    ApiFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(TRANSIENT.length + 2);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Chat i gets TRANSIENT[i], the next one a dropped connection; the last one is left alone. */
    private void injectEachTransientFault(int times) {
        for (int i = 0; i < TRANSIENT.length; i++) {
            fixture.failFirst(times, ApiFixture.chatRequest(fixture.chat(i)), ApiFixture.status(TRANSIENT[i]));
        }
        fixture.failFirst(times, ApiFixture.chatRequest(fixture.chat(TRANSIENT.length)), Response.DROP_CONNECTION);
    }

    @Test
    void eachTransientFaultOnceIsRetriedOnceAndTheChatSavedOnce() throws Exception {
        injectEachTransientFault(1);

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        for (SampleAccount.Chat chat : fixture.chats) {
            boolean faulted = !chat.equals(fixture.chat(TRANSIENT.length + 1));
            assertEquals(faulted ? 2 : 1, fixture.requests(ApiFixture.chatRequest(chat)).size(),
                    "a redelivery repeats the whole request, once: " + chat.name());
            assertArrayEquals(chat.json(), Files.readAllBytes(dir.resolve(fixture.fileOf(chat))));
            assertEquals(1, result.stdoutLines().stream().filter(line -> line.startsWith(chat.uuid())).count(), result.stdout());
        }
        assertEquals(fixture.chats.size(), BackupTree.chatFiles(dir).size());
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(fixture.chat(TRANSIENT.length))
                + " after the connection was closed without an answer: try 2 of 11"), result.stderr());
    }

    @Test
    void eachPermanentFaultIsTriedExactlyRetriesPlusOneTimesThenReportedWhileTheOtherChatsAreSaved() throws Exception {
        injectEachTransientFault(Integer.MAX_VALUE);

        BackupRunner.Result result = fixture.backup(dir, "--retries", "2");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        for (int i = 0; i <= TRANSIENT.length; i++) {
            SampleAccount.Chat chat = fixture.chat(i);
            assertEquals(3, fixture.requests(ApiFixture.chatRequest(chat)).size(), "one request and exactly 2 retries: " + chat.name());
            assertFalse(Files.exists(dir.resolve(fixture.fileOf(chat))), "nothing written for a chat that failed");
            String reason = i < TRANSIENT.length ? "HTTP " + TRANSIENT[i] + " from claude.ai" : "the connection was closed without an answer";
            assertTrue(result.stderr().contains("Could not save chat " + ApiFixture.label(chat) + ": " + reason), result.stderr());
        }
        SampleAccount.Chat untouched = fixture.chat(TRANSIENT.length + 1);
        assertArrayEquals(untouched.json(), Files.readAllBytes(dir.resolve(fixture.fileOf(untouched))));
        assertEquals(List.of(untouched.uuid() + "\t" + untouched.name()), result.stdoutLines());
        assertTrue(result.stderr().contains((TRANSIENT.length + 1) + " failed"), result.stderr());

        fixture.api.clearInterceptors();
        fixture.api.clearRequests();
        BackupRunner.Result next = fixture.backup(dir);

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(TRANSIENT.length + 1, fixture.requests(ApiFixture.anyChatRequest()).size(),
                "the next run fetches the chats that failed, and only those");
        assertEquals(fixture.chats.size(), BackupTree.chatFiles(dir).size());
    }

    @Test
    void zeroRetriesMeansOneRequest() throws Exception {
        SampleAccount.Chat chat = fixture.chat(0);
        fixture.failAlways(ApiFixture.chatRequest(chat), ApiFixture.status(503));

        BackupRunner.Result result = fixture.backup(dir, "--retries", "0");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(1, fixture.requests(ApiFixture.chatRequest(chat)).size());
        assertFalse(result.stderr().contains("Retrying"), result.stderr());
    }

    @Test
    void backOffDoublesFromTheMinimumUpToTheMaximumWithOneStderrLinePerRetry() throws Exception {
        SampleAccount.Chat chat = fixture.chat(0);
        fixture.failAlways(ApiFixture.chatRequest(chat), ApiFixture.status(500));

        BackupRunner.Result result = fixture.backup(dir, "--retries", "3", "--min-retry-delay", "0.2", "--max-retry-delay", "0.4");

        long[] gaps = ApiFixture.gapsMillis(fixture.requests(ApiFixture.chatRequest(chat)));
        assertEquals(3, gaps.length, Arrays.toString(gaps));
        assertTrue(gaps[0] >= 200, Arrays.toString(gaps));
        assertTrue(gaps[1] >= 400, Arrays.toString(gaps));
        assertTrue(gaps[2] >= 400 && gaps[2] < 790, "capped at the maximum, not doubled to 0.8 s: " + Arrays.toString(gaps));
        String what = "Retrying chat " + ApiFixture.label(chat) + " after HTTP 500 from claude.ai: ";
        assertEquals(List.of(what + "try 2 of 4 in 0.2 s", what + "try 3 of 4 in 0.4 s", what + "try 4 of 4 in 0.4 s"),
                result.stderr().lines().filter(line -> line.startsWith("Retrying")).toList(), result.stderr());
    }

    @Test
    void retryAfterInSecondsOrAsAnHttpDateIsHonouredUpToTheMaximum() throws Exception {
        SampleAccount.Chat seconds = fixture.chat(0);
        SampleAccount.Chat date = fixture.chat(1);
        SampleAccount.Chat tooLong = fixture.chat(2);
        fixture.failFirst(1, ApiFixture.chatRequest(seconds), withRetryAfter(429, "1"));
        // an HTTP date has whole seconds: 3 s after the request is more than 2 s after it once formatted
        AtomicBoolean dated = new AtomicBoolean();
        fixture.api.intercept(request -> ApiFixture.chatRequest(date).test(request) && !dated.getAndSet(true)
                ? Optional.of(withRetryAfter(503, DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(3))))
                : Optional.empty());
        fixture.failFirst(1, ApiFixture.chatRequest(tooLong), withRetryAfter(429, "3600"));

        BackupRunner.Result result = fixture.backup(dir, "--min-retry-delay", "0.01", "--max-retry-delay", "3");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        long secondsGap = ApiFixture.gapsMillis(fixture.requests(ApiFixture.chatRequest(seconds)))[0];
        long dateGap = ApiFixture.gapsMillis(fixture.requests(ApiFixture.chatRequest(date)))[0];
        long cappedGap = ApiFixture.gapsMillis(fixture.requests(ApiFixture.chatRequest(tooLong)))[0];
        assertTrue(secondsGap >= 1000, "waited the seconds asked: " + secondsGap + " ms");
        assertTrue(dateGap >= 1990, "waited until the date: " + dateGap + " ms");
        assertTrue(cappedGap >= 3000 && cappedGap < 10_000, "waited the maximum, not an hour: " + cappedGap + " ms");
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(seconds) + " after HTTP 429 from claude.ai: try 2 of 11 in 1 s"),
                result.stderr());
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(tooLong) + " after HTTP 429 from claude.ai: try 2 of 11 in 3 s"),
                result.stderr());
    }

    @Test
    void theAccountAndAListPageAreRetriedTooAndNoChatIsMissed() throws Exception {
        fixture.failFirst(1, ApiFixture.accountRequest(), ApiFixture.status(529));
        fixture.failFirst(2, ApiFixture.listRequest(), ApiFixture.status(502));

        BackupRunner.Result result = fixture.backup(dir, "--retries", "2");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(2, fixture.requests(ApiFixture.accountRequest()).size());
        assertEquals(3, fixture.requests(ApiFixture.listRequest()).size(), "one list page, asked for three times");
        assertArrayEquals(fixture.account.accountJson(), Files.readAllBytes(dir.resolve("account.json")));
        assertEquals(fixture.chats.size(), BackupTree.chatFiles(dir).size());
        assertTrue(result.stderr().contains("Retrying the account after HTTP 529 from claude.ai: try 2 of 3"), result.stderr());
    }

    static Response withRetryAfter(int status, String retryAfter) {
        return new Response(status, Map.of("Content-Type", "application/json", "Retry-After", retryAfter),
                "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"}}".getBytes(StandardCharsets.UTF_8));
    }
}
