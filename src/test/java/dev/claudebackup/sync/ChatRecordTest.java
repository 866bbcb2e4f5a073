package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.cli.BackupApplication;
import dev.claudebackup.cli.Shutdown;
import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.store.StateDatabase;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * The Idempotent Consumer's key is recorded the moment the chat's own file is in place, not at the end
 * of the run, and never for a chat that failed: what a killed or failed run leaves is exactly what the
 * next one fetches.
 */
class ChatRecordTest {

    @TempDir
    Path work;
    LoopbackBackup backup;

    @BeforeEach
    void startApi() throws Exception {
        backup = LoopbackBackup.start(work, 3, 8, 3);
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    @Test
    void eachChatIsRecordedAsSoonAsItsFileIsInPlace() throws Exception {
        // A run holds the state in SQLite's exclusive mode (no memory-mapped -shm file), so it cannot be
        // read from outside while the run goes on: the run is stopped part way instead, and what it left
        // is what a killed run leaves at that moment.
        Shutdown shutdown = new Shutdown();
        AtomicInteger asked = new AtomicInteger();
        backup.api.intercept(request -> {
            if (request.path().matches(".*/chat_conversations/[^/]+") && asked.incrementAndGet() == 6) {
                shutdown.request();
            }
            return Optional.empty();
        });

        BackupRunner.Result result = BackupRunner.run(shutdown, BackupRunner.environment(), "--config",
                work.resolve("claude-backup.properties").toString(), "--base-url", backup.api.baseUrl(), "--success-delay", "0",
                "--connections", "1", backup.dir.toString());

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        Map<String, String> recorded = StateDatabase.chats(backup.dir);
        Set<String> onDisk = new TreeSet<>();
        BackupTree.chatFiles(backup.dir).keySet().forEach(file -> onDisk.add(
                ChatFileNamer.uuidOf(Path.of(file).getFileName().toString()).orElseThrow()));
        assertEquals(onDisk, recorded.keySet(), "every chat whose file is in place is recorded, and no other");
        assertTrue(recorded.size() >= 6 - 1 - BackupApplication.FETCH_THREADS_AHEAD && recorded.size() <= 6, recorded.toString());
        Set<String> printed = new TreeSet<>();
        result.stdoutLines().forEach(line -> printed.add(line.substring(0, line.indexOf('\t'))));
        assertEquals(recorded.keySet(), printed, "a chat is printed as saved once it is recorded");

        backup.api.clearInterceptors();
        BackupRunner.Result next = backup.run();

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        Set<String> fetched = new TreeSet<>(backup.calls().chats());
        assertTrue(fetched.stream().noneMatch(recorded::containsKey), "a recorded chat is not fetched again");
        assertEquals(11, StateDatabase.chats(backup.dir).size());
        backup.assertHoldsEveryChat();
    }

    @Test
    void aChatThatFailedIsNotRecordedAndTheNextRunFetchesItAndOnlyIt() throws Exception {
        String failing = backup.chatAt(backup.main, 2);
        String cutShort = backup.chatAt(backup.side, 0);
        backup.api.intercept(request -> request.path().endsWith(failing)
                ? Optional.of(FakeClaudeApi.Response.json(500, "{\"type\":\"error\"}")) : Optional.empty());
        backup.api.intercept(request -> request.path().endsWith(cutShort)
                ? Optional.of(FakeClaudeApi.Response.json(200, "{\"uuid\":\"" + cutShort + "\",\"chat_messages\":[{\"te")) : Optional.empty());

        BackupRunner.Result failed = backup.run("--retries", "0");

        assertEquals(ExitStatus.SOME_FAILED, failed.status(), failed.toString());
        Map<String, String> recorded = StateDatabase.chats(backup.dir);
        assertEquals(9, recorded.size(), recorded.toString());
        assertFalse(recorded.containsKey(failing));
        assertFalse(recorded.containsKey(cutShort), "a body cut short is never saved");
        assertFalse(Files.exists(backup.chatFile(backup.main, failing)));
        assertFalse(Files.exists(backup.chatFile(backup.side, cutShort)));
        assertTrue(BackupTree.files(backup.dir).keySet().stream().noneMatch(path -> path.contains(".part-")), "no temporary file is left");
        assertFalse(failed.stdout().contains(failing), "only saved chats are printed");

        backup.api.clearInterceptors();
        BackupRunner.Result next = backup.run();

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        ApiCalls calls = backup.calls();
        assertEquals(List.of(failing, cutShort).stream().sorted().toList(), calls.chats().stream().sorted().toList());
        assertEquals(List.of("0+3", "2+4", "5+4"), calls.v1Lists(backup.main),
                "the organizations were not finished: their lists are read to the end");
        assertEquals(List.of("0+3", "2+4"), calls.v1Lists(backup.side));
        backup.assertHoldsEveryChat();
    }
}
