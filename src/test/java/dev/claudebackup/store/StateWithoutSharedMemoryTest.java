package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.LoopbackBackup;
import dev.claudebackup.testing.BackupRunner;

/**
 * Issue 16, point 5: the state's write-ahead-log index is kept in heap memory (SQLite's exclusive
 * locking mode; the run lock makes this process its only user), never a memory-mapped {@code -shm} file,
 * whose failing volume killed the JVM with SIGBUS. A full disk under the state is a clear error.
 */
class StateWithoutSharedMemoryTest {

    @TempDir
    Path work;

    @Test
    void aRunLeavesNoSharedMemoryFileNextToTheState() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 5, 2)) {
            assertEquals(ExitStatus.OK, backup.run().status());
            backup.account.addChat(backup.main, "one more", 1, false);
            assertEquals(ExitStatus.OK, backup.run().status());

            Path state = backup.dir.resolve(".claude-backup");
            assertTrue(Files.isRegularFile(state.resolve("state.db")));
            assertFalse(Files.exists(state.resolve("state.db-shm")), "no memory-mapped wal index");
            assertEquals(8, StateDatabase.chats(backup.dir).size(), "read by another connection once the run let go of it");
        }
    }

    /** A small tmpfs holds the backup; it is filled up before the run. Needs the right to mount (root in a container). */
    @Test
    void aFullDiskUnderTheStateIsAClearErrorNotACrash() throws Exception {
        Path mount = Files.createDirectories(work.resolve("small"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString()), "a tmpfs can be mounted here");
        try (LoopbackBackup backup = LoopbackBackup.start(mount, 100, 40, 0)) {
            // everything but a few kilobytes taken: the account and the first chats fit, the state's growth does not
            try (RandomAccessFile filler = new RandomAccessFile(mount.resolve("filler").toFile(), "rw")) {
                byte[] block = new byte[4096];
                try {
                    while (true) {
                        filler.write(block);
                    }
                } catch (IOException full) {
                    filler.setLength(Math.max(0, filler.length() - 24 * 1024));
                }
            }

            BackupRunner.Result result = backup.run();

            assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
            assertTrue(result.stderr().contains("No space left on device") || result.stderr().contains("SQLITE_FULL")
                    || result.stderr().contains("database or disk is full"), result.stderr());
            assertFalse(Files.exists(backup.dir.resolve(".claude-backup/state.db-shm")));
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    private static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
