package dev.claudebackup.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/** {@code --demo} serves the same sample account every time: a second run into the same folder is incremental. */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void theDemoAccountIsTheSameEveryTime() throws Exception {
        SampleAccount one = FakeClaudeApi.demoAccount();
        SampleAccount other = FakeClaudeApi.demoAccount();
        assertArrayEquals(one.accountJson(), other.accountJson());
        for (SampleAccount.Organization organization : one.organizations()) {
            assertEquals(organization.chats().keySet(), other.organization(organization.uuid()).chats().keySet());
            organization.chats().forEach((uuid, chat) ->
                    assertArrayEquals(chat.json(), other.chat(organization.uuid(), uuid).json(), "uuids and dates alike: " + chat.name()));
        }
    }

    @Test
    void aSecondDemoIntoTheSameFolderFetchesNothingNew() throws Exception {
        Path backup = dir.resolve("demo");
        BackupRunner.Result first = BackupRunner.run(Map.of("HOME", dir.toString()), "--demo", backup.toString());
        assertEquals(ExitStatus.OK, first.status(), first.toString());
        java.util.Set<String> files = BackupTree.chatFiles(backup).keySet();

        BackupRunner.Result second = BackupRunner.run(Map.of("HOME", dir.toString()), "--demo", backup.toString());

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertTrue(second.stderr().contains("Backup complete: 0 new, 0 updated, 0 renamed, " + files.size() + " unchanged"), second.stderr());
        assertEquals("", second.stdout(), "no chat saved again");
        assertEquals(files, BackupTree.chatFiles(backup).keySet(), "the same files, by uuid and name");
    }
}
