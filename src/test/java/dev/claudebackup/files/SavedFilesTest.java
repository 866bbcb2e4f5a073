package dev.claudebackup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SavedChats;

/**
 * The files part's state as {@code verify --repair} uses it: forgetting a file forgets that its owner was
 * looked at (so the next run reads that owner again and fetches the file), and a state made before the
 * owner was kept is taken forward.
 */
class SavedFilesTest {

    private static final String ORG = "0b7f3c1e-1b1e-4c4e-9a53-3f0a4d6e1c2b";
    private static final FileOwner CHAT = new FileOwner(FileOwner.CHAT, "11111111-1b1e-4c4e-9a53-3f0a4d6e1c2b", "A", ORG,
            "organizations/Org-" + ORG);
    private static final FileOwner PROJECT = new FileOwner(FileOwner.PROJECT, "22222222-1b1e-4c4e-9a53-3f0a4d6e1c2b", "P", ORG,
            "organizations/Org-" + ORG);

    @TempDir
    Path dir;
    BackupFolder backup;
    SavedChats state;

    @BeforeEach
    void open() throws Exception {
        backup = new BackupFolder(dir);
        backup.create();
        state = new SavedChats(backup, false);
        state.open();
    }

    @AfterEach
    void close() {
        state.close();
    }

    private static NamedFile file(FileOwner owner, String uuid) {
        return new NamedFile(owner, uuid, "f.png", "image", "preview", "/api/" + ORG + "/files/" + uuid + "/preview", null);
    }

    @Test
    void forgettingAFileForgetsOnlyThatItsOwnerWasLookedAt() {
        SavedFiles files = new SavedFiles(state, backup);
        String one = "33333333-1b1e-4c4e-9a53-3f0a4d6e1c2b";
        String two = "44444444-1b1e-4c4e-9a53-3f0a4d6e1c2b";
        files.saved(file(CHAT, one), CHAT.filesFolder() + "/f-" + one + ".png", 3, "abc");
        files.saved(file(PROJECT, two), PROJECT.filesFolder() + "/f-" + two + ".png", 4, "def");
        files.lookedAt(CHAT);
        files.lookedAt(PROJECT);
        assertEquals(List.of(one, two), files.savedFiles().stream().map(SavedFiles.Saved::uuid).toList());

        files.forget(two);

        assertTrue(files.find(two).isEmpty());
        assertEquals(Set.of(CHAT.uuid()), files.lookedAt(), "the project is read again next run, the chat is not");
        assertEquals(CHAT.uuid(), files.find(one).orElseThrow().owner());
    }

    @Test
    void aStateFromBeforeTheOwnerGetsTheColumnAndForgettingOneOfItsFilesHasEveryOwnerReadAgain() {
        String old = "55555555-1b1e-4c4e-9a53-3f0a4d6e1c2b";
        state.inState(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE files (uuid TEXT PRIMARY KEY, variant TEXT, path TEXT,"
                        + " size INTEGER, sha256 TEXT, status TEXT NOT NULL, reason TEXT, recorded_at TEXT NOT NULL)");
                statement.execute("INSERT INTO files VALUES ('" + old + "', 'preview', 'organizations/x/files/f-" + old
                        + ".png', 3, 'abc', 'SAVED', NULL, '2026-01-01T00:00:00Z')");
                return statement.executeUpdate("CREATE TABLE file_owners_looked_at (uuid TEXT PRIMARY KEY, kind TEXT NOT NULL,"
                        + " looked_at TEXT NOT NULL)");
            }
        });
        SavedFiles files = new SavedFiles(state, backup);
        files.lookedAt(CHAT);
        files.lookedAt(PROJECT);
        assertEquals(null, files.find(old).orElseThrow().owner());

        files.forget(old);

        assertFalse(files.find(old).isPresent());
        assertEquals(Set.of(), files.lookedAt(), "which owner named it is not known: each is read again, once");
    }
}
