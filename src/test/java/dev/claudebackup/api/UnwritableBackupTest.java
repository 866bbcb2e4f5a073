package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * A backup folder that cannot be written: a clear message, exit status 1, no file half-written, no
 * chat recorded as saved, so the next run (once the folder is fixed) saves them.
 */
class UnwritableBackupTest {

    @TempDir
    Path dir;
    ApiFixture fixture;
    Path readOnly;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(4);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
        if (readOnly != null) {
            ReadOnlyFolder.undo(readOnly);
        }
    }

    private Path chatFolder() {
        return dir.resolve("organizations").resolve(ChatFileNamer.slug(fixture.organization.name(), fixture.organization.uuid()))
                .resolve("chat_conversations");
    }

    @Test
    void aFileWhereTheChatFolderMustBeStopsTheRunWithAClearMessage() throws Exception {
        Files.createDirectories(chatFolder().getParent());
        Files.writeString(chatFolder(), "not a folder");

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains("Cannot write to the backup folder: " + chatFolder() + " already exists and is in the way."),
                result.stderr());
        assertEquals(0, fixture.requests(ApiFixture.anyChatRequest()).size(), "no chat fetched that could not be saved");
        assertEquals("not a folder", Files.readString(chatFolder()));

        Files.delete(chatFolder());
        BackupRunner.Result next = fixture.backup(dir);
        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(4, next.stdoutLines().size(), "every chat saved once the folder could be made");
    }

    @Test
    void aReadOnlyChatFolderFailsTheRunWithoutHalfFilesAndRecordsNothing() throws Exception {
        assertEquals(ExitStatus.OK, fixture.backup(dir).status());
        SampleAccount.Chat chat = fixture.chat(0);
        byte[] before = Files.readAllBytes(dir.resolve(fixture.fileOf(chat)));
        fixture.account.updateChat(fixture.organization.uuid(), chat.uuid());
        fixture.account.addChat(fixture.organization.uuid(), "Brand new", 1, false);
        readOnly = chatFolder();
        assumeTrue(ReadOnlyFolder.make(readOnly), "a folder can be made read-only here (chmod, or chattr +i as root)");

        BackupRunner.Result result = fixture.backup(dir, "--connections", "1");

        ReadOnlyFolder.undo(readOnly);
        readOnly = null;
        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(1, result.stderr().lines().filter(line -> line.startsWith("Cannot write to the backup folder")).count(),
                "said once: " + result.stderr());
        assertTrue(result.stderr().contains("Cannot write to the backup folder: " + chatFolder() + "/.part-"), result.stderr());
        assertTrue(result.stderr().contains("free some space or fix the folder's permissions"), result.stderr());
        assertEquals(List.of(), result.stdoutLines(), "nothing reported as saved");
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(fixture.fileOf(chat))));
        assertNoTemporaryFiles();

        BackupRunner.Result next = fixture.backup(dir);
        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(2, next.stdoutLines().size(), "the update and the new chat were not recorded as saved: " + next.stdout());
        assertEquals(5, BackupTree.chatFiles(dir).size());
    }

    private void assertNoTemporaryFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            assertEquals(List.of(), paths.filter(path -> path.getFileName().toString().startsWith(".part-")).toList());
        }
    }

    /** A folder nobody can write to: by its mode, or (for root, whom modes do not stop) by the immutable attribute. */
    static final class ReadOnlyFolder {

        static boolean make(Path folder) throws Exception {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-x------"));
            if (!writable(folder)) {
                return true;
            }
            return run("chattr", "+i", folder.toString()) && !writable(folder);
        }

        static void undo(Path folder) throws Exception {
            run("chattr", "-i", folder.toString());
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        }

        private static boolean writable(Path folder) {
            try {
                Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
                return true;
            } catch (IOException refused) {
                return false;
            }
        }

        private static boolean run(String... command) throws InterruptedException {
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return process.waitFor() == 0;
            } catch (IOException noSuchCommand) {
                return false;
            }
        }
    }
}
