package dev.claudebackup.projects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.api.ApiResponses;
import dev.claudebackup.api.RequestSlots;
import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.FileNames;
import dev.claudebackup.store.SavedChats;
import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.Organization;

/**
 * A project renamed so that only its case or Unicode normalization changes ({@code Foo} to {@code foo},
 * one folder on macOS and Windows) was written into "the new folder", which was the old one, and then
 * "the old folder" was deleted: the project was gone. The same rule as for chats and organizations
 * (store.FileNames.sameFile, BackupFolder.rename) now holds for projects; and a link planted under
 * projects/ during the run is never written through.
 */
class ProjectSameFolderRenameTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORG = "6f1c9a4e-2b7d-4c1e-9a3f-0d5e8b7c6a21";
    private static final String PROJECT = "0b0c7a52-3f0e-4f7e-8d64-1c2b3a4d5e6f";
    private static final String ORG_FOLDER = "organizations/Org-" + ORG;

    @TempDir
    Path dir;
    BackupFolder backup;
    SavedChats state;
    SavedProjects saved;
    ProjectBackups projects;
    Organization organization = new Organization(ORG, "Org", true);
    BackupRun run = new BackupRun();

    @BeforeEach
    void start() throws Exception {
        backup = new BackupFolder(dir.resolve("backup"));
        backup.create();
        state = new SavedChats(backup, false);
        saved = new SavedProjects(state);
        Console quiet = new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), true);
        projects = new ProjectBackups(new ProjectPaths("", "", "", "", "", "", ""), new ApiResponses(), saved, backup, quiet,
                Duration.ZERO, false, Clock.systemUTC(), new RequestSlots(1));
    }

    @AfterEach
    void stop() {
        state.close();
    }

    private Exchange renamedTo(String name, Optional<String> existing) throws Exception {
        ProjectRef renamed = ProjectRef.of(organization, MAPPER.readTree(
                "{\"uuid\":\"" + PROJECT + "\",\"name\":\"" + name + "\",\"updated_at\":\"2\"}"));
        ProjectBackup project = new ProjectBackup(renamed, ORG_FOLDER, true, existing);
        project.answered(ProjectPart.PROJECT, "{\"new\":true}".getBytes());
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ProjectBackup.PROPERTY, project);
        exchange.setProperty(BackupRun.PROPERTY, run);
        return exchange;
    }

    /** What the write-backup-file route does with each file the project has to write. */
    private void writePending(Exchange exchange) throws Exception {
        ProjectBackup project = exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class);
        for (int i = 0; i < project.pendingCount(); i++) {
            exchange.setProperty(Exchange.LOOP_INDEX, i);
            projects.fileToWrite(exchange);
            backup.write(exchange);
        }
    }

    @Test
    void aCaseOnlyRenameKeepsTheFolderWholeAndNeverDeletesIt() throws Exception {
        String oldFolder = ORG_FOLDER + "/projects/Foo-" + PROJECT;
        Path old = Files.createDirectories(backup.resolve(oldFolder));
        Files.writeString(old.resolve("project.json"), "{\"old\":true}");
        Files.writeString(old.resolve("docs.json"), "[{\"doc\":1}]");
        Files.writeString(old.resolve("memory.json"), "{\"memory\":\"kept\"}");
        saved.record(new SavedProjects.Saved(PROJECT, ORG, "Foo-" + PROJECT, "Foo", "1", Instant.now(), ""));
        Exchange exchange = renamedTo("foo", Optional.of(oldFolder));
        String newFolder = exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class).folder();
        assertTrue(FileNames.sameFile(backup.resolve(oldFolder), backup.resolve(newFolder)),
                "the rule: names equal after case folding and NFC are one folder where the file system cannot tell otherwise");

        projects.place(exchange);
        writePending(exchange);
        Path renamed = backup.resolve(newFolder);
        // as a case-insensitive file system shows it: the old name is the folder just written
        Files.createDirectories(old);
        try (Stream<Path> files = Files.list(renamed)) {
            for (Path file : files.toList()) {
                Files.createLink(old.resolve(file.getFileName()), file);
            }
        }

        projects.saved(exchange);

        assertTrue(Files.isDirectory(old), "the old name was not deleted: on macOS it is the new folder");
        assertEquals("{\"new\":true}", Files.readString(renamed.resolve("project.json")));
        assertEquals("[{\"doc\":1}]", Files.readString(renamed.resolve("docs.json")), "the folder came whole");
        assertEquals("{\"memory\":\"kept\"}", Files.readString(renamed.resolve("memory.json")));
        assertEquals("foo-" + PROJECT, saved.find(PROJECT).orElseThrow().folder(), "the state points at the new spelling");
        assertEquals(1, run.projectTotal(BackupRun.Outcome.RENAMED));
        assertEquals(oldFolder, exchange.getProperty(ProjectBackups.PREVIOUS_FOLDER_PROPERTY));
        try (Stream<Path> left = Files.list(renamed.getParent())) {
            assertTrue(left.noneMatch(path -> path.getFileName().toString().startsWith(".")), "no temporary name left");
        }
    }

    @Test
    void aRenameToAnotherFolderMovesItAndTheOldNameIsGone() throws Exception {
        String oldFolder = ORG_FOLDER + "/projects/Old_name-" + PROJECT;
        Path old = Files.createDirectories(backup.resolve(oldFolder));
        Files.writeString(old.resolve("docs.json"), "[]");
        Exchange exchange = renamedTo("New name", Optional.of(oldFolder));

        projects.place(exchange);
        writePending(exchange);
        projects.saved(exchange);

        Path renamed = backup.resolve(exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class).folder());
        assertFalse(Files.exists(old));
        assertEquals("[]", Files.readString(renamed.resolve("docs.json")));
        assertEquals("RENAMED", exchange.getMessage().getHeader(ProjectBackups.OUTCOME_HEADER));
    }

    @Test
    void aProjectsFolderLinkPlantedDuringTheRunIsNeverWrittenThrough() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(backup.resolve(ORG_FOLDER));
        Files.createSymbolicLink(backup.resolve(ORG_FOLDER + "/projects"), outside);
        Exchange exchange = renamedTo("Planted", Optional.empty());

        BackupFolder.PlantedLinkException refused = assertThrows(BackupFolder.PlantedLinkException.class, () -> projects.place(exchange));

        assertTrue(refused.getMessage().contains("projects: a symbolic link"), refused.getMessage());
        assertEquals(List.of(), Files.list(outside).toList(), "nothing made outside");
    }

    @Test
    void aProjectFolderLinkIsNeitherRenamedThroughNorDeletedThrough() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("victim.txt"), "keep me");
        Path projectsFolder = Files.createDirectories(backup.resolve(ORG_FOLDER + "/projects"));
        Files.createSymbolicLink(projectsFolder.resolve("Gone-" + PROJECT), outside);

        assertThrows(BackupFolder.PlantedLinkException.class, () -> backup.deleteFolder(ORG_FOLDER + "/projects/Gone-" + PROJECT));

        assertEquals("keep me", Files.readString(outside.resolve("victim.txt")));
    }
}
