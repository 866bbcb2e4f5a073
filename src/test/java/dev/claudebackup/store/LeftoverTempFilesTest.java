package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temporary files a killed process left: removed at the next run's start, and looked for only when the
 * last run did not end as it should (no walk of the backup at every run).
 */
class LeftoverTempFilesTest {

    @TempDir
    Path dir;

    private Path leftover(BackupFolder backup) throws Exception {
        Path chats = Files.createDirectories(backup.root().resolve("organizations/Org-1/chats"));
        return Files.writeString(chats.resolve(BackupFolder.TEMP_PREFIX + "0123abcd"), "{\"half\":");
    }

    @Test
    void afterAKillTheLeftoversGoAndARunThatEndsWellSaysSo() throws Exception {
        BackupFolder backup = new BackupFolder(dir);
        backup.create();
        Path leftover = leftover(backup);

        backup.removeLeftoverTempFiles();
        assertFalse(Files.exists(leftover), "no mark: the last run was killed, its leftovers go");

        backup.endedCleanly();
        assertTrue(Files.exists(backup.stateFolder().resolve(BackupFolder.ENDED_CLEANLY)));
    }

    @Test
    void theMarkOfARunThatEndedWellSparesTheWalkAndIsTakenAwayForTheRun() throws Exception {
        BackupFolder previous = new BackupFolder(dir);
        previous.create();
        previous.endedCleanly();

        BackupFolder next = new BackupFolder(dir);
        next.removeLeftoverTempFiles();

        assertFalse(Files.exists(next.stateFolder().resolve(BackupFolder.ENDED_CLEANLY)),
                "a kill during this run must leave no mark for the next one");
    }

    @Test
    void aProcessThatWritesWithoutARunTakesTheMarkAwayBeforeItsFirstTemporaryFile() throws Exception {
        BackupFolder run = new BackupFolder(dir);
        run.create();
        run.endedCleanly();

        // such as `render`: it writes readable/ through the same folder, and could be killed mid-write
        BackupFolder render = new BackupFolder(dir);
        render.write(dir.resolve("readable/index.html"), new ByteArrayInputStream("<p>".getBytes(StandardCharsets.UTF_8)), false);

        assertFalse(Files.exists(dir.resolve(".claude-backup").resolve(BackupFolder.ENDED_CLEANLY)));
        Path leftover = leftover(render);
        new BackupFolder(dir).removeLeftoverTempFiles();
        assertFalse(Files.exists(leftover), "the next run looks for leftovers again");
    }

    @Test
    void aProcessThatNeverLookedForLeftoversNeverSaysTheRunEndedCleanly() throws Exception {
        BackupFolder backup = new BackupFolder(dir);
        backup.create();

        backup.endedCleanly(); // as a run whose state could not be opened, before the look for leftovers

        assertFalse(Files.exists(backup.stateFolder().resolve(BackupFolder.ENDED_CLEANLY)));
    }
}
