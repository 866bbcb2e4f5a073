package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;
import dev.claudebackup.testing.Poll;

/**
 * A stop during a run, as SIGTERM or Ctrl-C asks for it (ShutdownIT sends the real signal to the jar):
 * no new chat is fetched, the ones in flight are saved, and the next run saves the rest.
 */
class GracefulStopTest {

    private static final int CHATS = 30;

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    SampleAccount.Organization organization;
    SampleAccount.Organization later;

    @BeforeEach
    void startApi() throws Exception {
        account = new SampleAccount();
        organization = account.addOrganization("Home", "chat");
        for (int i = 0; i < CHATS; i++) {
            account.addChat(organization.uuid(), "Chat " + i, 2, i % 3 == 0);
        }
        later = account.addOrganization("Work", "chat");
        account.addChat(later.uuid(), "Planning", 1, false);
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private Set<String> chatsRequested() {
        return api.requests().stream().filter(r -> r.path().contains("/chat_conversations/"))
                .map(r -> r.path().substring(r.path().lastIndexOf('/') + 1)).collect(Collectors.toSet());
    }

    private Path chatFile(Path backup, SampleAccount.Chat chat) {
        return backup.resolve("organizations").resolve(ChatFileNamer.slug(organization.name(), organization.uuid()))
                .resolve("chat_conversations").resolve(ChatFileNamer.jsonFileName(chat.name(), chat.uuid()));
    }

    @Test
    void theChatsInFlightAreSavedNoOtherIsStartedAndTheNextRunSavesTheRest() throws Exception {
        Path backup = dir.resolve("backup");
        api.latency(150);
        Shutdown shutdown = new Shutdown();
        CompletableFuture<BackupRunner.Result> running = CompletableFuture.supplyAsync(() -> BackupRunner.run(shutdown,
                BackupRunner.environment(), "--base-url", api.baseUrl(), "--success-delay", "0", "--connections", "2", backup.toString()));
        Poll.until(Duration.ofSeconds(20), () -> chatsRequested().size() >= 4, () -> "4 chats requested");
        int requestedAtTheStop = chatsRequested().size();
        shutdown.request();
        BackupRunner.Result first = running.get(30, TimeUnit.SECONDS);

        assertEquals(ExitStatus.SOME_FAILED, first.status(), "a run cut short is incomplete: 1\n" + first);
        assertTrue(first.stderr().contains("Stopping: finishing the chats being fetched"), first.stderr());
        assertTrue(first.stderr().contains("Backup stopped: "), first.stderr());
        Set<String> fetched = chatsRequested();
        // at most the 2 connections' requests were on their way (past the check) when the stop came
        assertTrue(fetched.size() <= requestedAtTheStop + 2, "no chat is started after the stop: " + requestedAtTheStop
                + " requested at the stop, " + fetched.size() + " in all");
        assertTrue(fetched.size() < CHATS, "the stop came before the end: " + fetched.size());
        for (SampleAccount.Chat chat : account.chatList(organization.uuid())) {
            Path file = chatFile(backup, chat);
            if (fetched.contains(chat.uuid())) {
                assertArrayEquals(chat.json(), Files.readAllBytes(file), "a chat in flight is finished and saved whole");
            } else {
                assertFalse(Files.exists(file), "no chat is fetched after the stop");
            }
        }
        assertEquals(fetched.size(), first.stdoutLines().size());
        assertFalse(first.stderr().contains("Fetching chats for organization Work"), "no organization is begun after the stop");
        assertTrue(api.requests().stream().noneMatch(r -> r.path().contains(later.uuid())), "nothing is asked about it");
        assertTrue(BackupTree.files(backup).keySet().stream().noneMatch(p -> p.contains(".part-")), "nothing half-written");
        JsonNode report = new ObjectMapper().readTree(backup.resolve(".claude-backup/last-run.json").toFile());
        assertEquals(1, report.path("exit_status").asInt());
        assertTrue(report.path("stopped_because").asText().contains("asked to stop"), report.toPrettyString());

        api.clearRequests();
        api.latency(0);
        BackupRunner.Result second = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertEquals(CHATS + 1, BackupTree.chatFiles(backup).size());
        assertEquals(CHATS + 1 - fetched.size(), chatsRequested().size(), "only what the stopped run did not save is fetched");
        assertTrue(chatsRequested().stream().noneMatch(fetched::contains));
    }

    @Test
    void aStopDuringARetrysPauseEndsThePauseAndSendsNoRetry() throws Exception {
        SampleAccount.Chat failing = account.chatList(organization.uuid()).get(0);
        api.intercept(request -> request.path().endsWith("/chat_conversations/" + failing.uuid())
                ? java.util.Optional.of(FakeClaudeApi.Response.json(503, "{\"type\":\"error\"}")) : java.util.Optional.empty());
        Shutdown shutdown = new Shutdown();
        CompletableFuture<BackupRunner.Result> running = CompletableFuture.supplyAsync(() -> BackupRunner.run(shutdown,
                BackupRunner.environment(), "--base-url", api.baseUrl(), "--success-delay", "0", "--connections", "1",
                "--min-retry-delay", "60", "--max-retry-delay", "60", dir.resolve("backup").toString()));
        Poll.until(Duration.ofSeconds(20), () -> api.requests().stream().anyMatch(r -> r.path().endsWith(failing.uuid())),
                () -> "the failing chat requested");
        Thread.sleep(200); // into the pause

        long stopped = System.nanoTime();
        shutdown.request();
        BackupRunner.Result result = running.get(30, TimeUnit.SECONDS);

        assertTrue(System.nanoTime() - stopped < Duration.ofSeconds(15).toNanos(), "the 60 s pause did not hold the stop");
        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains("Retrying chat "), result.stderr());
        assertEquals(1, api.requests().stream().filter(r -> r.path().endsWith(failing.uuid())).count(), "no retry after the stop");
    }

    @Test
    void aStopBeforeTheRunBeganAsksNothingOfClaudeAi() {
        Shutdown shutdown = new Shutdown();
        shutdown.request();
        BackupRunner.Result result = BackupRunner.run(shutdown, BackupRunner.environment(), "--base-url", api.baseUrl(),
                dir.resolve("backup").toString());

        assertEquals(ExitStatus.SOME_FAILED, result.status(), "nothing was backed up: 1\n" + result);
        assertTrue(result.stderr().contains("Stopped before the backup began"), result.stderr());
        assertEquals(List.of(), api.requests());
    }

    @Test
    void aStopAfterTheRunEndedChangesNothing() {
        Shutdown shutdown = new Shutdown();
        BackupRunner.Result result = BackupRunner.run(shutdown, Map.copyOf(BackupRunner.environment()), "--base-url", api.baseUrl(),
                "--success-delay", "0", dir.resolve("backup").toString());
        shutdown.request();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(result.stderr().contains("Backup complete: " + (CHATS + 1) + " new"), result.stderr());
    }
}
