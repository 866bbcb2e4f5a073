package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.LoopbackBackup;
import dev.claudebackup.testing.BackupRunner;

/**
 * Issue 16, point 6: a symbolic link planted inside the backup folder is never followed for a write, a
 * rename, a chmod, a lock or a delete; where a real folder (or the state's own file) is expected, the run
 * stops with exit 2 naming it, before anything is touched. The victims outside stay as they were.
 */
class PlantedLinksTest {

    @TempDir
    Path work;
    LoopbackBackup backup;
    Path outside;
    Path victim;

    @BeforeEach
    void start() throws Exception {
        backup = LoopbackBackup.start(work, 100, 3, 2);
        outside = Files.createDirectories(work.resolve("outside"));
        victim = outside.resolve("victim.txt");
        Files.writeString(victim, "keep me");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void stop() {
        backup.close();
    }

    private void assertVictimUntouched() throws Exception {
        assertEquals("keep me", Files.readString(victim));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)));
        assertEquals(List.of(victim), Files.list(outside).toList(), "nothing new outside");
    }

    @Test
    void aLockFileThatIsALinkStopsTheRunAndTheFileOutsideIsNeitherTruncatedNorChmodded() throws Exception {
        assertEquals(ExitStatus.OK, backup.run().status());
        Path lock = backup.dir.resolve(".claude-backup/lock");
        Files.delete(lock);
        Files.createSymbolicLink(lock, victim);

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.stderr().contains(lock + ": a symbolic link where claude-backup expects a real folder"), result.stderr());
        assertEquals(0, backup.api.requests().size(), "nothing asked of claude.ai");
        assertVictimUntouched();
    }

    @Test
    void aTemporaryFileNamePlantedAsALinkIsNeverWrittenThrough() throws Exception {
        Files.createDirectories(backup.dir);
        Files.createSymbolicLink(backup.dir.resolve(".part-account.json"), victim);
        Files.createSymbolicLink(backup.dir.resolve(".part-" + "0".repeat(24)), victim);

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(Files.isRegularFile(backup.dir.resolve("account.json")));
        assertVictimUntouched();
        backup.assertHoldsEveryChat();
    }

    @Test
    void aChatFolderThatIsALinkStopsTheRunAndNothingOutsideIsWrittenOrDeletedEvenWithIgnoreCache() throws Exception {
        assertEquals(ExitStatus.OK, backup.run().status());
        Path chats = backup.folder(backup.main).resolve("chat_conversations");
        Path moved = work.resolve("elsewhere/chats");
        Files.createDirectories(moved.getParent());
        Files.move(chats, moved);
        Files.createSymbolicLink(chats, moved);
        List<Path> before = Files.list(moved).sorted().toList();
        backup.account.addChat(backup.main, "New while the link is there", 1, false);
        backup.account.deleteChat(backup.main, backup.chatAt(backup.main, 1));

        for (String[] args : List.of(new String[0], new String[] {"--ignore-cache"})) {
            BackupRunner.Result result = backup.run(args);

            assertEquals(ExitStatus.USAGE, result.status(), result.toString());
            assertTrue(result.stderr().contains(chats + ": a symbolic link where claude-backup expects a real folder"), result.stderr());
            assertEquals(0, backup.api.requests().size(), "nothing asked of claude.ai");
            assertEquals(before, Files.list(moved).sorted().toList(), "nothing written or deleted through the link");
        }
        assertVictimUntouched();
    }

    @Test
    void aChatFolderThatIsALinkMadeDuringTheRunIsRefusedAtTheWrite() throws Exception {
        BackupFolder folder = new BackupFolder(backup.dir);
        folder.create();
        Path organization = Files.createDirectories(backup.dir.resolve("organizations/Org-6f1c9a4e-2b7d-4c1e-9a3f-0d5e8b7c6a21"));
        Files.createSymbolicLink(organization.resolve("chat_conversations"), outside);
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        exchange.getMessage().setHeader(org.apache.camel.Exchange.FILE_NAME,
                "organizations/Org-6f1c9a4e-2b7d-4c1e-9a3f-0d5e8b7c6a21/chat_conversations/victim.txt");
        exchange.getMessage().setBody("overwritten");

        BackupFolder.PlantedLinkException refused = org.junit.jupiter.api.Assertions.assertThrows(
                BackupFolder.PlantedLinkException.class, () -> folder.write(exchange));

        assertTrue(refused.getMessage().contains("chat_conversations: a symbolic link"), refused.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(BackupFolder.PlantedLinkException.class,
                () -> folder.delete("organizations/Org-6f1c9a4e-2b7d-4c1e-9a3f-0d5e8b7c6a21/chat_conversations/victim.txt"));
        assertVictimUntouched();
    }

    @Test
    void aProjectFolderThatIsALinkStopsTheRunAndNothingIsWrittenRenamedOrDeletedThroughIt() throws Exception {
        var project = backup.account.addProject(backup.main, "Plans", "first");
        assertEquals(ExitStatus.OK, backup.run().status());
        Path projects = backup.folder(backup.main).resolve("projects");
        Path folder;
        try (var folders = Files.list(projects)) {
            folder = folders.filter(path -> path.getFileName().toString().endsWith(project.uuid())).findFirst().orElseThrow();
        }
        Path moved = Files.move(folder, outside.resolve("project"));
        Files.createSymbolicLink(folder, moved);
        List<Path> before = Files.list(moved).sorted().toList();
        String projectJson = Files.readString(moved.resolve("project.json"));
        backup.account.renameProject(backup.main, project.uuid(), "plans");
        backup.account.setInstructions(backup.main, project.uuid(), "changed");

        for (String[] args : List.of(new String[0], new String[] {"--ignore-cache"})) {
            BackupRunner.Result result = backup.run(args);

            assertEquals(ExitStatus.USAGE, result.status(), result.toString());
            assertTrue(result.stderr().contains(folder + ": a symbolic link where claude-backup expects a real folder"), result.stderr());
            assertEquals(0, backup.api.requests().size(), "nothing asked of claude.ai");
            assertEquals(before, Files.list(moved).sorted().toList(), "nothing written, renamed or deleted through the link");
            assertEquals(projectJson, Files.readString(moved.resolve("project.json")));
        }
        assertEquals("keep me", Files.readString(victim));
    }

    @Test
    void aFilesFolderThatIsALinkStopsTheRunAndNothingIsWrittenThroughIt() throws Exception {
        assertEquals(ExitStatus.OK, backup.run().status());
        Path files = backup.folder(backup.main).resolve("files");
        if (Files.isDirectory(files)) {
            Files.walk(files).sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.createSymbolicLink(files, outside);

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.stderr().contains(files + ": a symbolic link where claude-backup expects a real folder"), result.stderr());
        assertEquals(0, backup.api.requests().size(), "nothing asked of claude.ai");
        assertVictimUntouched();
    }

    @Test
    void theBackupFolderItselfMayBeALink() throws Exception {
        Path real = Files.createDirectories(work.resolve("real-backup"));
        Files.createSymbolicLink(backup.dir, real);

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(Files.isRegularFile(real.resolve("account.json")));
        backup.assertHoldsEveryChat();
    }
}
