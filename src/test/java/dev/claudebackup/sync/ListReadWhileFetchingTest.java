package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.report.Console;
import dev.claudebackup.testing.BackupRunner;

/**
 * Throughput without more load on claude.ai: chats are fetched while their list is still being read,
 * and a connection is never idle while a chat that came is written, yet no more requests are ever in
 * flight than there are connections.
 */
class ListReadWhileFetchingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void chatsAreFetchedWhileTheListIsStillRead() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 5, 30, 2)) {
            backup.api.latency(30);

            BackupRunner.Result result = backup.run("--connections", "3");

            assertEquals(ExitStatus.OK, result.status(), result.toString());
            List<FakeClaudeApi.Request> requests = backup.api.requests();
            String mainList = "/api/organizations/" + backup.main + "/chat_conversations";
            long lastPage = requests.stream().filter(r -> r.path().equals(mainList)).mapToLong(FakeClaudeApi.Request::startedNanos).max().orElseThrow();
            long firstChat = requests.stream().filter(r -> r.path().startsWith(mainList + "/")).mapToLong(FakeClaudeApi.Request::startedNanos).min().orElseThrow();
            assertTrue(firstChat < lastPage, "the first chat was asked for before the last page of its list");
            assertEquals(30 + 2, backup.calls().chats().size(), "every chat once");
            backup.assertHoldsEveryChat();
            assertTrue(backup.api.maxInFlight() <= 3, "at most 3 in flight: " + backup.api.maxInFlight());
        }
    }

    @Test
    void moreFetchThreadsThanConnectionsYetNeverMoreRequestsInFlight() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 24, 1)) {
            backup.api.latency(40);

            BackupRunner.Result result = backup.run("--connections", "2");

            assertEquals(ExitStatus.OK, result.status(), result.toString());
            assertEquals(2, backup.api.maxInFlight(), "2 reached, never more");
        }
    }

    /**
     * A page read in the background that fails gives its connection back: with one connection, a slot
     * kept by the failed page would leave every later request waiting for ever.
     */
    @Test
    void aListPageThatFailsGivesBackItsConnection() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 2, 8, 3)) {
            String mainList = "/api/organizations/" + backup.main + "/chat_conversations";
            // the third page: pages overlap by one entry, so they start at offsets 0, 1, 3
            backup.api.intercept(request -> request.path().equals(mainList) && "3".equals(request.query().get("offset"))
                    ? Optional.of(FakeClaudeApi.Response.json(503, "{}")) : Optional.empty());

            BackupRunner.Result result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> backup.run("--connections", "1", "--retries", "0"));

            assertEquals(ExitStatus.SOME_FAILED, result.status(), result + "\n" + backup.calls());
            for (int position = 0; position < 3; position++) {
                assertTrue(backup.calls().chats().contains(backup.chatAt(backup.side, position)),
                        "the next organization is backed up in full: " + backup.calls().chats());
            }
        }
    }

    /**
     * A refused session key while the next page waits for the one connection: the page, let through
     * after the refusal, sends nothing and gives the connection back, and the run ends at once.
     */
    @Test
    void aRefusalWhileAPageWaitsForTheConnectionEndsTheRun() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 2, 12, 3)) {
            AtomicInteger chatRequests = new AtomicInteger();
            Predicate<FakeClaudeApi.Request> isChat = request -> request.path().matches(".*/chat_conversations/[^/]+");
            backup.api.latency(20);
            backup.api.intercept(request -> isChat.test(request)
                    && chatRequests.incrementAndGet() == 3
                    ? Optional.of(FakeClaudeApi.Response.json(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\"}}"))
                    : Optional.empty());

            BackupRunner.Result result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> backup.run("--connections", "1"));

            assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
            List<FakeClaudeApi.Request> requests = backup.api.requests();
            FakeClaudeApi.Request refused = requests.stream().filter(isChat).skip(2).findFirst().orElseThrow();
            assertEquals(refused, requests.get(requests.size() - 1), "no request after the refused one: " + backup.calls());
        }
    }

    /** This run saves the overlap entry between two pages: that must not pass for the last run's work. */
    @Test
    void anEntrySavedByThisRunDoesNotStopThePaging() {
        Set<String> saved = new HashSet<>(Set.of("old-1", "old-2"));
        ChatListPager pager = new ChatListPager(3, true, entry -> saved.contains(entry.path("uuid").asText()), false);

        pager.accept(page("new-1", "new-2", "new-3"));
        saved.add("new-3"); // fetched and saved while the next page was on its way
        pager.accept(page("new-3", "new-4", "new-5", "new-6"));

        assertTrue(pager.wantsMore(), "new-3 was saved by this run, not the last one: read on");
        pager.accept(page("new-6", "old-1", "old-2", "old-3"));
        assertFalse(pager.wantsMore());
        assertTrue(pager.stoppedEarly(), "old-1 is the last run's");
    }

    /** The v1 list retired while paged: the chats this run saved from it are not the last run's either. */
    @Test
    void entriesSavedFromTheV1ListDoNotStopThePagingOfTheV2List() {
        Set<String> saved = new HashSet<>(Set.of("old-1", "old-2"));
        ChatListPager pager = new ChatListPager(3, true, entry -> saved.contains(entry.path("uuid").asText()), false);

        pager.accept(page("new-1", "new-2", "new-3"));
        saved.addAll(Set.of("new-1", "new-2", "new-3")); // fetched while the v1 list's next page answered 404
        pager.switchToV2();
        pager.accept(page("new-1", "new-2", "new-3"));

        assertTrue(pager.wantsMore(), "new-1..3 were saved by this run: read on");
        pager.accept(page("new-3", "new-4", "old-1", "old-2"));
        assertTrue(pager.stoppedEarly(), "old-1 is the last run's");
    }

    @Test
    void chatsDoneBeforeTheListIsReadCountInTheProgress() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false).withProgressLines(Duration.ofHours(1));
        BackupRun run = new BackupRun(console);
        run.record("A", BackupRun.Outcome.NEW);
        run.record("A", BackupRun.Outcome.NEW);
        run.chatsToFetch("A", 3);
        run.record("A", BackupRun.Outcome.UPDATED);
        run.finish();

        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("A: 3 of 3 chats done in "), shown);
    }

    private static JsonNode page(String... uuids) {
        ArrayNode rows = MAPPER.createArrayNode();
        int stamp = 100;
        for (String uuid : uuids) {
            rows.addObject().put("uuid", uuid).put("updated_at", "2025-01-01T00:00:" + (stamp--) + "Z");
        }
        return rows;
    }
}
