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

    private Path mark() {
        return dir.resolve(BackupFolder.STATE_FOLDER).resolve(BackupFolder.ENDED_CLEANLY);
    }

    /** A run as BackupJob makes it: the look for leftovers at its start, the mark at its end. */
    private void runThatEndsCleanly() throws Exception {
        BackupFolder run = new BackupFolder(dir);
        run.create();
        run.removeLeftoverTempFiles();
        run.endedCleanly();
        assertTrue(Files.exists(mark()), "a run that looked for leftovers and ended says so");
    }

    @Test
    void afterAKillTheLeftoversGo() throws Exception {
        BackupFolder backup = new BackupFolder(dir);
        backup.create();
        Path leftover = leftover(backup);

        backup.removeLeftoverTempFiles();

        assertFalse(Files.exists(leftover), "no mark: the last run was killed, its leftovers go");
    }

    @Test
    void theMarkOfARunThatEndedWellSparesTheWalkAndIsTakenAwayForTheRun() throws Exception {
        runThatEndsCleanly();
        Path notLookedFor = leftover(new BackupFolder(dir)); // none is ever there after a clean end: the walk is spared

        new BackupFolder(dir).removeLeftoverTempFiles();

        assertTrue(Files.exists(notLookedFor), "the backup was not walked");
        assertFalse(Files.exists(mark()), "a kill during this run must leave no mark for the next one");
    }

    @Test
    void aProcessThatWritesWithoutARunTakesTheMarkAwayBeforeItsFirstTemporaryFile() throws Exception {
        runThatEndsCleanly();

        // such as `render`: it writes readable/ through the same folder, and could be killed mid-write
        BackupFolder render = new BackupFolder(dir);
        render.write(dir.resolve("readable/index.html"), new ByteArrayInputStream("<p>".getBytes(StandardCharsets.UTF_8)), false);

        assertFalse(Files.exists(mark()));
        Path leftover = leftover(render);
        new BackupFolder(dir).removeLeftoverTempFiles();
        assertFalse(Files.exists(leftover), "the next run looks for leftovers again");
    }

    @Test
    void aProcessThatNeverLookedForLeftoversNeverSaysTheRunEndedCleanly() throws Exception {
        BackupFolder backup = new BackupFolder(dir);
        backup.create();

        backup.endedCleanly(); // as a run whose state could not be opened, before the look for leftovers

        assertFalse(Files.exists(mark()));
    }
}
