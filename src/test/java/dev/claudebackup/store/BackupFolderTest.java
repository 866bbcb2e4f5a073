package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup folder: what a killed run left half-written is cleared, nothing else, and no path leaves it. */
class BackupFolderTest {

    @TempDir
    Path dir;

    @Test
    void removesTheTemporaryFilesAKilledRunLeftAtEveryLevelAndNothingElse() throws Exception {
        BackupFolder folder = new BackupFolder(dir);
        folder.create();
        Path chats = Files.createDirectories(dir.resolve("organizations/Org-6f1c9a4e-2b7d-4c1e-9a3f-0d5e8b7c6a21/chat_conversations"));
        List<Path> leftovers = List.of(dir.resolve(".part-account.json"), chats.getParent().resolve(".part-chat_conversations.json"),
                chats.resolve(".part-A_chat-0b0c7a52-3f0e-4f7e-8d64-1c2b3a4d5e6f.json"));
        List<Path> kept = List.of(dir.resolve("account.json"), chats.getParent().resolve("chat_conversations.json"),
                chats.resolve("A_chat-0b0c7a52-3f0e-4f7e-8d64-1c2b3a4d5e6f.json"), dir.resolve("version"),
                dir.resolve(".claude-backup/.part-not-ours-to-touch"));
        for (Path file : Stream.concat(leftovers.stream(), kept.stream()).toList()) {
            Files.writeString(file, "{\"half\":");
        }

        folder.removeLeftoverTempFiles();

        for (Path file : leftovers) {
            assertEquals(false, Files.exists(file), file.toString());
        }
        for (Path file : kept) {
            assertEquals(true, Files.exists(file), file.toString());
        }
    }

    @Test
    void noPathFromTheApiLeavesTheFolder() {
        BackupFolder folder = new BackupFolder(dir);
        assertThrows(IllegalArgumentException.class, () -> folder.resolve("organizations/../../elsewhere.json"));
        assertThrows(IllegalArgumentException.class, () -> folder.resolve("/etc/passwd"));
        assertEquals(dir.resolve("organizations/a.json").toAbsolutePath(), folder.resolve("organizations/a.json"));
    }
}
