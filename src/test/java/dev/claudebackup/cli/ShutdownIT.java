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
import java.util.Optional;
import java.util.Set;
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
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;
import dev.claudebackup.testing.JarProcess;
import dev.claudebackup.testing.Poll;

/**
 * SIGTERM to the jar (what Kubernetes, docker stop and kill send; Process.destroy sends it too): the
 * run finishes its chats in flight, starts no other, reports, and exits 1 (incomplete) soon; nothing
 * is half-written, and the next run completes the backup.
 */
class ShutdownIT {

    private static final int CHATS = 40;

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    SampleAccount.Organization organization;

    @BeforeEach
    void startApi() throws Exception {
        account = new SampleAccount();
        organization = account.addOrganization("Home", "chat");
        for (int i = 0; i < CHATS; i++) {
            account.addChat(organization.uuid(), "Chat " + i, 3, i % 4 == 0);
        }
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private JarProcess start(Map<String, String> extraEnvironment, Path backup) throws Exception {
        Map<String, String> environment = new java.util.HashMap<>(Map.of("HOME", dir.toString(), "CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY));
        environment.putAll(extraEnvironment);
        return JarProcess.start(environment, dir, List.of(), "--base-url", api.baseUrl(), "-s", "0", "-c", "2", backup.toString());
    }

    private Set<String> chatsRequested() {
        return api.requests().stream().filter(r -> r.path().contains("/chat_conversations/"))
                .map(r -> r.path().substring(r.path().lastIndexOf('/') + 1)).collect(Collectors.toSet());
    }

    private JsonNode report(Path backup) throws Exception {
        return new ObjectMapper().readTree(backup.resolve(".claude-backup/last-run.json").toFile());
    }

    @Test
    void sigtermFinishesTheChatsInFlightExitsOneAndTheNextRunCompletesTheBackup() throws Exception {
        Path backup = dir.resolve("backup");
        api.latency(200);
        JarProcess run = start(Map.of(), backup);
        Poll.until(Duration.ofSeconds(60), () -> chatsRequested().size() >= 4, run::stderr);

        int requestedAtTheSignal = chatsRequested().size();
        long signalled = System.nanoTime();
        run.process().destroy();
        int status = run.waitFor(30);

        assertEquals(1, status, "a run cut short is incomplete\n" + run.stderr());
        assertTrue(System.nanoTime() - signalled < Duration.ofSeconds(10).toNanos(), "it stops soon");
        assertTrue(run.stderr().contains("Stopping: finishing the chats being fetched"), run.stderr());
        assertTrue(run.stderr().contains("Backup stopped: "), run.stderr());
        Set<String> fetched = chatsRequested();
        // at most the 2 connections' requests were on their way (past the check) when the signal came
        assertTrue(fetched.size() <= requestedAtTheSignal + 2, "no chat is started after the signal: " + requestedAtTheSignal
                + " requested at the signal, " + fetched.size() + " in all");
        assertTrue(fetched.size() < CHATS, "stopped before the end");
        Path folder = backup.resolve("organizations").resolve(ChatFileNamer.slug(organization.name(), organization.uuid()));
        for (SampleAccount.Chat chat : account.chatList(organization.uuid())) {
            Path file = folder.resolve("chat_conversations").resolve(ChatFileNamer.jsonFileName(chat.name(), chat.uuid()));
            if (fetched.contains(chat.uuid())) {
                assertArrayEquals(chat.json(), Files.readAllBytes(file), "the chat in flight was saved whole");
            } else {
                assertFalse(Files.exists(file));
            }
        }
        assertTrue(BackupTree.files(backup).keySet().stream().noneMatch(p -> p.contains(".part-")), "no half-written file");
        assertTrue(report(backup).path("stopped_because").asText().contains("asked to stop"), report(backup).toPrettyString());
        assertEquals(1, report(backup).path("exit_status").asInt());

        api.clearRequests();
        api.latency(0);
        JarProcess next = start(Map.of(), backup);

        assertEquals(0, next.waitFor(120), next.stderr());
        assertEquals(CHATS, BackupTree.chatFiles(backup).size());
        assertEquals(CHATS - fetched.size(), chatsRequested().size(), "only the chats not saved before are fetched");
    }

    @Test
    void aRequestThatNeverAnswersDoesNotHoldTheStopPastTheStopTimeout() throws Exception {
        Path backup = dir.resolve("backup");
        chatsNeverAnswer();
        // With a UTF-8 locale the jar runs in one JVM; the test above, without, goes through the relaunch
        // (Utf8FileNames), whose parent passes SIGTERM on to the child and exits with its status.
        JarProcess run = start(Map.of("BACKUP_STOP_TIMEOUT", "2", "LC_ALL", "C.UTF-8"), backup);
        Poll.until(Duration.ofSeconds(60), () -> chatsRequested().size() >= 2, run::stderr);

        long signalled = System.nanoTime();
        run.process().destroy();
        int status = run.waitFor(30);

        assertEquals(1, status, run.stderr());
        long took = System.nanoTime() - signalled;
        assertTrue(took >= Duration.ofSeconds(2).toNanos() && took < Duration.ofSeconds(10).toNanos(), "waited the stop timeout: " + took);
        assertTrue(run.stderr().contains("Stopped without waiting for the requests still in flight"), run.stderr());
        assertEquals(1, report(backup).path("exit_status").asInt(), "the run is reported as it stood");
        assertTrue(BackupTree.chatFiles(backup).isEmpty());
    }

    @Test
    void inScheduleModeTheForcedStopAfterTheStopTimeoutExitsZero() throws Exception {
        Path backup = dir.resolve("backup");
        chatsNeverAnswer();
        JarProcess run = start(Map.of("BACKUP_STOP_TIMEOUT", "2", "LC_ALL", "C.UTF-8", "BACKUP_SCHEDULE", "* * * * * ?"), backup);
        Poll.until(Duration.ofSeconds(60), () -> chatsRequested().size() >= 2, run::stderr);

        run.process().destroy();
        int status = run.waitFor(30);

        assertEquals(0, status, "a stop is what was asked of a schedule\n" + run.stderr());
        assertTrue(run.stderr().contains("Stopped without waiting for the requests still in flight"), run.stderr());
        assertEquals(1, report(backup).path("exit_status").asInt(), "the run itself is reported as incomplete");
    }

    /** Every chat request hangs (two minutes, past any stop timeout the tests give). */
    private void chatsNeverAnswer() {
        api.intercept(request -> {
            if (request.path().contains("/chat_conversations/")) {
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.empty();
        });
    }
}
