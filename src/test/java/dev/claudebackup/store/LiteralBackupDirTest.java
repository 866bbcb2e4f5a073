package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * Issue 16, point 7: BACKUP_DIR is a path, not a URI. Pasted into a Camel file endpoint, {@code p%41q}
 * wrote to {@code pAq} (and every run fetched every chat again), {@code {{env:HOME}}} was expanded, and
 * {@code ?} or {@code ${} failed: each is now the folder it names, literally.
 */
class LiteralBackupDirTest {

    @TempDir
    Path work;
    FakeClaudeApi api;

    @BeforeEach
    void start() throws Exception {
        SampleAccount account = new SampleAccount();
        String organization = account.addOrganization("Personal", "chat").uuid();
        for (int i = 0; i < 3; i++) {
            account.addChat(organization, "Chat " + i, 1, false);
        }
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"p%41q", "a{{env:HOME}}", "q?x=1", "d${x}", "u%2e%2e"})
    void theBackupGoesIntoTheFolderNamedLiterallyAndTheNextRunFetchesNothing(String name) throws Exception {
        Path dir = work.resolve(name);

        BackupRunner.Result first = BackupRunner.backup(api, dir);

        assertEquals(ExitStatus.OK, first.status(), first.toString());
        assertEquals(3, first.stdoutLines().size(), first.toString());
        assertTrue(Files.isRegularFile(dir.resolve("account.json")));
        assertEquals(3, BackupTree.chatFiles(dir).size());
        assertEquals(List.of(dir), Files.list(work).toList(), "nothing beside the folder named");

        BackupRunner.Result second = BackupRunner.backup(api, dir);

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertEquals(List.of(), second.stdoutLines(), "nothing fetched again");
    }
}
