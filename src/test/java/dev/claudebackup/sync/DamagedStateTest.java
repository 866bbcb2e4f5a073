package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.store.StateDatabase;
import dev.claudebackup.testing.BackupRunner;

/**
 * A state database that is garbage or corrupt is moved aside and rebuilt from the chat files: the run
 * says so, goes on, and fetches nothing that did not change.
 */
class DamagedStateTest {

    @TempDir
    Path work;
    LoopbackBackup backup;
    Map<String, String> savedBefore;

    @BeforeEach
    void backUp() throws Exception {
        backup = LoopbackBackup.start(work, 3, 6, 3);
        assertEquals(ExitStatus.OK, backup.run().status());
        savedBefore = StateDatabase.chats(backup.dir);
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    @Test
    void aStateThatIsGarbageIsSetAsideAndRebuiltWithoutFetchingAnythingUnchanged() throws Exception {
        Files.writeString(StateDatabase.of(backup.dir), "garbage, not SQLite ".repeat(300));
        String changed = backup.chatAt(backup.main, 4);
        backup.account.updateChat(backup.main, changed);

        BackupRunner.Result result = backup.run();

        assertRebuilt(result, List.of(changed));
    }

    @Test
    void aCorruptStateIsSetAsideAndRebuilt() throws Exception {
        Path state = StateDatabase.of(backup.dir);
        try (RandomAccessFile file = new RandomAccessFile(state.toFile(), "rw")) {
            int pageSize = 4096;
            assertTrue(file.length() > pageSize, "a state of more than one page: " + file.length());
            // every page after the first (the schema) gets a b-tree page header no SQLite wrote
            for (long page = pageSize; page < file.length(); page += pageSize) {
                file.seek(page);
                file.write(new byte[] {0x0d, (byte) 0xff, (byte) 0xff, (byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0});
            }
        }

        BackupRunner.Result result = backup.run();

        assertRebuilt(result, List.of());
    }

    private void assertRebuilt(BackupRunner.Result result, List<String> fetched) throws Exception {
        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(result.stderr().contains("is damaged"), result.stderr());
        assertTrue(result.stderr().contains("Moved it aside to state.db.damaged-"), result.stderr());
        assertTrue(result.stderr().contains("rebuilding the state from the chat files"), result.stderr());
        assertEquals(fetched, backup.calls().chats(), "only what changed");
        try (var files = Files.list(StateDatabase.of(backup.dir).getParent())) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().matches("state\\.db\\.damaged-[0-9T-]+")), "kept, never deleted");
        }
        assertEquals(savedBefore.keySet(), StateDatabase.chats(backup.dir).keySet(), "every chat recorded again");
        backup.assertHoldsEveryChat();

        BackupRunner.Result next = backup.run();
        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(List.of(), backup.calls().chats());
    }
}
