package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock on the real file system, within one process; across processes, see RunLockIT. */
class RunLockTest {

    @TempDir
    Path dir;

    @Test
    void aSecondRunIsRefusedWhileTheFirstHoldsTheLockAndLetInAfter() throws Exception {
        Path state = Files.createDirectories(dir.resolve("backup/.claude-backup"));

        try (RunLock first = RunLock.acquire(state)) {
            RunLock.AlreadyRunningException refused = assertThrows(RunLock.AlreadyRunningException.class, () -> RunLock.acquire(state));
            assertEquals("Another claude-backup run is using " + dir.resolve("backup") + " (process " + ProcessHandle.current().pid()
                    + "); wait for it to finish, or use another backup folder.", refused.getMessage());
        }
        try (RunLock again = RunLock.acquire(state)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(state.resolve(RunLock.FILE_NAME)));
        }
    }

    @Test
    void aLockFileLeftByARunThatDiedDoesNotBlock() throws Exception {
        Path state = Files.createDirectories(dir.resolve(".claude-backup"));
        Files.writeString(state.resolve(RunLock.FILE_NAME), "999999999 and more");

        try (RunLock lock = RunLock.acquire(state)) {
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(state.resolve(RunLock.FILE_NAME)),
                    "the old content is replaced, not appended to");
        }
        assertTrue(Files.exists(state.resolve(RunLock.FILE_NAME)));
    }
}
