package dev.claudebackup.readable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.PrivateFiles;
import dev.claudebackup.store.RunLock;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * {@code render} never writes, renames or deletes through a symbolic link someone planted in readable/
 * (a group-writable volume), and never runs beside a backup run.
 */
class ReadableLinksTest {

    static final String DELETED_CHAT = "Old-0d0e0f00-0000-4000-8000-000000000009";

    @TempDir
    Path dir;
    ReadableFixture backup;
    Path victim;

    @BeforeEach
    void makeBackup() throws IOException {
        backup = new ReadableFixture(dir.resolve("backup"));
        victim = Files.createDirectories(dir.resolve("victim"));
        // named like a deleted chat's page: the prune would delete it, a write would replace it
        Files.writeString(victim.resolve(DELETED_CHAT + ".html"), "the victim's own file");
        Files.writeString(victim.resolve(richSlug() + ".html"), "the victim's other file");
    }

    private String richSlug() {
        return backup.page(backup.richName, backup.richUuid).getFileName().toString().replaceFirst("\\.html$", "");
    }

    BackupRunner.Result render() {
        return BackupRunner.run(Map.of("HOME", dir.toString()), "render", "--dir", backup.backup.toString());
    }

    @Test
    void aLinkPlantedForAnOrganizationsFolderStopsTheRenderAndTheVictimIsUntouched() throws IOException {
        assertEquals(ExitStatus.OK, render().status());
        Path organization = backup.page(backup.richName, backup.richUuid).getParent();
        deleteAll(organization);
        Files.createSymbolicLink(organization, victim);

        BackupRunner.Result result = render();
        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.stderr().contains(organization.toString()) && result.stderr().contains("symbolic link"), result.stderr());
        assertEquals(List.of(DELETED_CHAT + ".html", richSlug() + ".html"), names(victim));
        assertEquals("the victim's own file", Files.readString(victim.resolve(DELETED_CHAT + ".html")));
        assertEquals("the victim's other file", Files.readString(victim.resolve(richSlug() + ".html")));
        assertTrue(Files.isSymbolicLink(organization));
    }

    @Test
    void aLinkPlantedForAPageIsReplacedNeverWrittenThrough() throws IOException {
        assertEquals(ExitStatus.OK, render().status());
        Path page = backup.page(backup.richName, backup.richUuid);
        Path victimFile = victim.resolve(richSlug() + ".html");
        Files.delete(page);
        Files.createSymbolicLink(page, victimFile);

        assertEquals(ExitStatus.OK, render().status());
        assertFalse(Files.isSymbolicLink(page));
        assertTrue(Files.readString(page).contains("<html"), "the page written anew");
        assertEquals("the victim's other file", Files.readString(victimFile));
    }

    @Test
    void aLinkPlantedForTheReadableFolderStopsTheRender() throws IOException {
        Files.createSymbolicLink(backup.readable(), victim);
        BackupRunner.Result result = render();
        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.stderr().contains(backup.readable().toString()), result.stderr());
        assertEquals(List.of(DELETED_CHAT + ".html", richSlug() + ".html"), names(victim));
    }

    @Test
    void renderNeverRunsBesideABackupRun() throws IOException {
        BackupFolder folder = new BackupFolder(backup.backup);
        if (!Files.isDirectory(folder.stateFolder())) {
            PrivateFiles.createFolder(folder.stateFolder());
        }
        try (RunLock running = RunLock.acquire(folder.stateFolder())) {
            BackupRunner.Result result = render();
            assertEquals(ExitStatus.USAGE, result.status(), result.toString());
            assertTrue(result.stderr().contains("Another claude-backup run"), result.stderr());
            assertFalse(Files.exists(backup.readable()), "nothing rendered");
        }
        assertEquals(ExitStatus.OK, render().status(), "once the run is over");
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted((a, b) -> a.equals(DELETED_CHAT + ".html") ? -1 : b.equals(DELETED_CHAT + ".html") ? 1 : a.compareTo(b)).toList();
        }
    }

    private static void deleteAll(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
