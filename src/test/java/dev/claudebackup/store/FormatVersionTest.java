package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** The state folder records its format version; a backup made by a newer claude-backup is not touched. */
class FormatVersionTest {

    @TempDir
    Path dir;

    @Test
    void aRunRecordsTheFormatVersionAndRefusesANewerOneWithoutAskingClaudeAnything() throws Exception {
        try (FakeClaudeApi api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY)) {
            Path backup = dir.resolve("backup");
            assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());
            assertEquals(Optional.of(Integer.toString(SavedChats.FORMAT_VERSION)), StateDatabase.formatVersion(backup));

            StateDatabase.execute(backup, "UPDATE meta SET value = '" + (SavedChats.FORMAT_VERSION + 1) + "' WHERE key = 'format-version'");
            Files.delete(backup.resolve("account.json"));
            api.clearRequests();
            BackupRunner.Result refused = BackupRunner.backup(api, backup);

            assertEquals(ExitStatus.USAGE, refused.status(), refused.toString());
            assertTrue(refused.stderr().contains("newer than this claude-backup understands (" + SavedChats.FORMAT_VERSION
                    + "): please update claude-backup."), refused.stderr());
            assertFalse(refused.stderr().contains("The backup failed"), "said once, plainly: " + refused.stderr());
            assertEquals(0, api.requests().size(), "nothing was asked of claude.ai");
            assertFalse(Files.exists(backup.resolve("account.json")), "nothing was written");
        }
    }
}
