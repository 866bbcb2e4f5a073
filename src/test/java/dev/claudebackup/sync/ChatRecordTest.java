package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.cli.BackupApplication;
import dev.claudebackup.demo.FakeClaudeApi;
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
        List<Integer> recordedWhenAsked = Collections.synchronizedList(new ArrayList<>());
        List<Boolean> filesOfRecordedChatsPresent = Collections.synchronizedList(new ArrayList<>());
        backup.api.intercept(request -> {
            if (request.path().matches(".*/chat_conversations/[^/]+")) {
                Map<String, String> recorded = StateDatabase.chats(backup.dir);
                recordedWhenAsked.add(recorded.size());
                filesOfRecordedChatsPresent.add(recorded.values().stream()
                        .allMatch(row -> Files.isRegularFile(backup.dir.resolve(row.substring(row.indexOf(' ') + 1)))));
            }
            return Optional.empty();
        });

        // One connection: chat n is asked for once the n before it were fetched; while it is on its way,
        // the fetch threads beyond the connections may still be writing and recording the last few.
        BackupRunner.Result result = backup.run("--connections", "1");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(11, recordedWhenAsked.size());
        for (int n = 0; n < recordedWhenAsked.size(); n++) {
            int recorded = recordedWhenAsked.get(n);
            assertTrue(recorded <= n && recorded >= n - BackupApplication.FETCH_THREADS_AHEAD,
                    "when chat " + n + " is asked for, the ones before it are recorded but for the last few: " + recordedWhenAsked);
        }
        assertFalse(filesOfRecordedChatsPresent.contains(false), "a chat is recorded only once its file is there");
        assertEquals(11, StateDatabase.chats(backup.dir).size());
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
