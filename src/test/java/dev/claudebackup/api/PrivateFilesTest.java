package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ExitStatus;

/** The backup holds private conversations: every folder in it 0700, every file 0600, the state's included. */
class PrivateFilesTest {

    @TempDir
    Path dir;
    ApiFixture fixture;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "a POSIX file system");
        fixture = new ApiFixture(4);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyFolderIs0700AndEveryFileIs0600AfterARunAndAnUpdate() throws Exception {
        Path backup = dir.resolve("new/backup");
        assertEquals(ExitStatus.OK, fixture.backup(backup).status());
        fixture.account.updateChat(fixture.organization.uuid(), fixture.chat(0).uuid());
        fixture.account.renameChat(fixture.organization.uuid(), fixture.chat(1).uuid(), "Renamed");
        fixture.account.addChat(fixture.organization.uuid(), "Added", 1, false);
        assertEquals(ExitStatus.OK, fixture.backup(backup).status());

        List<String> wrong = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(backup)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                String expected = Files.isDirectory(path) ? "rwx------" : "rw-------";
                if (!mode.equals(expected)) {
                    wrong.add(backup.relativize(path) + " " + mode);
                }
                names.add(path.getFileName().toString());
            }
        }
        assertEquals(List.of(), wrong);
        assertTrue(names.containsAll(List.of("state.db", "lock", "account.json", "chat_conversations.json")), names.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("new"))),
                "a parent folder the tool created is private too");
    }

    /**
     * A folder that existed keeps its mode (a volume's root, a folder the Python tool made): the tool
     * makes private what it creates, and never changes what a person set up.
     */
    @Test
    void aFolderThatExistedKeepsItsMode() throws Exception {
        Path backup = Files.createDirectories(dir.resolve("volume"));
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rwxr-x---"));
        Path organizations = Files.createDirectories(backup.resolve("organizations"));
        Files.setPosixFilePermissions(organizations, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertEquals(ExitStatus.OK, fixture.backup(backup).status());

        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(organizations)));
        try (Stream<Path> created = Files.list(organizations)) {
            Path folder = created.findFirst().orElseThrow();
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)), "what it made is private");
        }
    }

    /** SQLite makes its -wal and -shm files while the run holds the database open. */
    @Test
    void theStateDatabasesCompanionFilesArePrivateWhileTheRunIsGoing() throws Exception {
        List<String> seen = new ArrayList<>();
        Path state = dir.resolve(".claude-backup");
        fixture.api.intercept(request -> {
            if (ApiFixture.anyChatRequest().test(request)) {
                try (Stream<Path> files = Files.list(state)) {
                    for (Path file : (Iterable<Path>) files::iterator) {
                        seen.add(file.getFileName() + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
                    }
                }
            }
            return java.util.Optional.empty();
        });

        assertEquals(ExitStatus.OK, fixture.backup(dir, "--connections", "1").status());

        assertTrue(seen.stream().anyMatch(line -> line.startsWith("state.db-wal ")), seen.toString());
        // files 0600; the stream cache's spool folder 0700
        assertTrue(seen.stream().allMatch(line -> line.endsWith(line.startsWith("spool ") ? " rwx------" : " rw-------")), seen.toString());
    }
}
