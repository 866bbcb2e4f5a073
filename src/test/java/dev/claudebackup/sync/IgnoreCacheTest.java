package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.store.StateDatabase;
import dev.claudebackup.testing.BackupRunner;

/**
 * {@code --ignore-cache}: every chat is fetched again, and local copies of chats deleted on claude.ai
 * are removed, but only when every organization's whole list was read and nothing failed.
 */
class IgnoreCacheTest {

    @TempDir
    Path work;
    LoopbackBackup backup;
    String deletedFromMain;
    String deletedFromSide;
    Path mainCopy;
    Path sideCopy;

    @BeforeEach
    void backUpThenDeleteTwoChatsUpstream() throws Exception {
        backup = LoopbackBackup.start(work, 3, 7, 3);
        assertEquals(ExitStatus.OK, backup.run().status());
        deletedFromMain = backup.chatAt(backup.main, 4);
        deletedFromSide = backup.chatAt(backup.side, 2);
        mainCopy = backup.chatFile(backup.main, deletedFromMain);
        sideCopy = backup.chatFile(backup.side, deletedFromSide);
        backup.account.deleteChat(backup.main, deletedFromMain);
        backup.account.deleteChat(backup.side, deletedFromSide);
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    @Test
    void refetchesEverythingAndRemovesTheCopiesOfDeletedChatsNamingEach() throws Exception {
        String switched = backup.chatAt(backup.main, 0);
        backup.account.switchBranch(backup.main, switched);

        BackupRunner.Result result = backup.run("--ignore-cache");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        ApiCalls calls = backup.calls();
        assertEquals(8, calls.chats().size(), "every chat claude.ai still has, once each");
        assertEquals(8, new HashSet<>(calls.chats()).size());
        assertEquals(List.of("0+3", "2+4", "5+4"), calls.v1Lists(backup.main), "the whole list, whatever the state says");
        assertFalse(Files.exists(mainCopy));
        assertFalse(Files.exists(sideCopy));
        for (Path removed : List.of(mainCopy, sideCopy)) {
            String relative = backup.dir.relativize(removed).toString();
            assertTrue(result.stderr().contains("Removing " + relative + ": chat "), result.stderr());
        }
        assertFalse(StateDatabase.chats(backup.dir).containsKey(deletedFromMain), "the state forgets them");
        backup.assertHoldsEveryChat();
        assertArrayEquals(backup.account.chat(backup.main, switched).json(), Files.readAllBytes(backup.chatFile(backup.main, switched)),
                "a fresh copy shows the branch now shown");

        BackupRunner.Result next = backup.run();
        assertEquals(1 + 2 * 2, backup.calls().total(), "and the run after is incremental again (the account, and a chat list page"
                + " and the project list of each organization): " + next);
    }

    @Test
    void aChatThatFailsPartWayMeansNothingIsRemoved() throws Exception {
        String failing = backup.chatAt(backup.side, 0);
        backup.api.intercept(request -> request.path().endsWith(failing)
                ? Optional.of(FakeClaudeApi.Response.json(500, "{}")) : Optional.empty());

        BackupRunner.Result result = backup.run("--ignore-cache", "--retries", "0");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(Files.exists(mainCopy), "the copy of a deleted chat is kept");
        assertTrue(Files.exists(sideCopy));
        assertFalse(result.stderr().contains("Removing organizations"), result.stderr());
        assertTrue(result.stderr().contains("Removing nothing"), result.stderr());
    }

    @Test
    void aListThatFailsPartWayMeansNothingIsRemovedInAnyOrganization() throws Exception {
        backup.api.intercept(request -> request.path().endsWith(backup.main + "/chat_conversations")
                && "2".equals(request.query().get("offset")) ? Optional.of(FakeClaudeApi.Response.json(503, "{}")) : Optional.empty());

        BackupRunner.Result result = backup.run("--ignore-cache", "--retries", "0");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(Files.exists(sideCopy), "Side's list was read in full, but Main's was not: nothing is removed");
        assertTrue(Files.exists(mainCopy));
        assertTrue(result.stderr().contains("Removing nothing"), result.stderr());
    }

    @Test
    void aRefusalMeansNothingIsRemovedEvenWhenEveryListBegunWasReadInFull() throws Exception {
        // Side's one page is read, then claude.ai refuses one of its chats: every list begun was read in full
        String refused = backup.chatAt(backup.side, 1);
        backup.api.intercept(request -> request.path().endsWith("/chat_conversations/" + refused)
                ? Optional.of(FakeClaudeApi.Response.json(401, "{\"type\":\"error\"}")) : Optional.empty());

        BackupRunner.Result result = backup.run("--ignore-cache");

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertTrue(Files.exists(mainCopy), "the copy of a deleted chat is kept");
        assertTrue(Files.exists(sideCopy));
        assertFalse(result.stderr().contains("Removing organizations"), result.stderr());
    }

    @Test
    void aStopMeansNothingIsRemoved() throws Exception {
        backup.api.latency(100);
        backup.api.clearRequests();
        dev.claudebackup.cli.Shutdown shutdown = new dev.claudebackup.cli.Shutdown();
        java.util.concurrent.CompletableFuture<BackupRunner.Result> running = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> BackupRunner.run(shutdown, BackupRunner.environment(), "--base-url", backup.api.baseUrl(), "--success-delay", "0",
                        "--connections", "2", "--ignore-cache", backup.dir.toString()));
        dev.claudebackup.testing.Poll.until(java.time.Duration.ofSeconds(20), () -> backup.calls().chats().size() >= 3,
                () -> "3 chats requested");
        shutdown.request();
        BackupRunner.Result result = running.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains("Backup stopped"), result.stderr());
        assertTrue(Files.exists(mainCopy), "the copy of a deleted chat is kept");
        assertTrue(Files.exists(sideCopy));
        assertFalse(result.stderr().contains("Removing organizations"), result.stderr());
    }
}
