package dev.claudebackup.projects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.LoopbackBackup;
import dev.claudebackup.testing.BackupRunner;

/**
 * The projects, memory and styles through the real routes against the loopback API: an account of two
 * chat organizations (Main with two projects, Side with none) and a console-only one.
 */
class ProjectsBackupTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;
    LoopbackBackup backup;
    SampleAccount account;
    SampleAccount.Project garden;
    SampleAccount.Project taxes;

    @BeforeEach
    void account() throws IOException {
        backup = LoopbackBackup.start(work, 100, 3, 2);
        account = backup.account;
        garden = account.addProject(backup.main, "Kitchen garden", "Plan my garden. Metric units.");
        garden = account.addDoc(backup.main, garden.uuid(), "beds.md", "# Beds\n- herbs", true);
        garden = account.addProjectFile(backup.main, garden.uuid(), "soil.pdf");
        garden = account.setProjectMemory(backup.main, garden.uuid(), "Clay soil, full sun.");
        taxes = account.addProject(backup.main, "Taxes/2025: \"receipts\"", "Be precise.");
        account.setMemory(backup.main, "Likes short answers.");
        account.addCustomStyle(backup.main, "Plain", "Write plainly.");
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    @Test
    void firstBackupHoldsEveryProjectPartAsAnswered() throws IOException {
        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertHoldsEveryProject();
        Path main = backup.folder(backup.main);
        assertArrayEquals(account.memoryJson(backup.main), Files.readAllBytes(main.resolve("memory.json")));
        assertArrayEquals(account.stylesJson(backup.main), Files.readAllBytes(main.resolve("styles.json")));
        assertEquals("Plain", MAPPER.readTree(main.resolve("styles.json").toFile()).path("customStyles").path(0).path("name").asText());
        Path side = backup.folder(backup.side);
        assertEquals("[]", Files.readString(side.resolve("projects.json")), "written even without projects");
        assertFalse(Files.exists(side.resolve("memory.json")), "Side's memory is off (404): nothing saved");
        assertTrue(Files.exists(side.resolve("styles.json")));
        assertFalse(Files.exists(projectFolder(taxes).resolve("memory.json")), "no project memory (404): not saved, no failure");
        Path project = projectFolder(garden);
        assertEquals(Instant.parse(garden.updatedAt()), Files.getLastModifiedTime(project.resolve("project.json")).toInstant(),
                "the project's updated_at");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(project.resolve("docs.json")));
        assertEquals(3, Files.getPosixFilePermissions(project).size(), "0700");
        assertEquals(5, result.stdoutLines().size(), "stdout is one line per chat, nothing for projects: " + result.stdout());
        assertTrue(result.stderr().contains("; projects: 2 new, 0 updated, 0 renamed, 0 unchanged, 0 failed"), result.stderr());
        JsonNode report = MAPPER.readTree(backup.dir.resolve(".claude-backup/last-run.json").toFile());
        assertEquals(2, report.path("projects").path("totals").path("new").asInt(), report.toString());
    }

    private void assertHoldsEveryProject() throws IOException {
        Path main = backup.folder(backup.main);
        assertArrayEquals(account.projectListJson(backup.main), Files.readAllBytes(main.resolve("projects.json")));
        for (SampleAccount.Project project : account.projects(backup.main)) {
            Path folder = projectFolder(project);
            assertArrayEquals(account.projectJson(backup.main, project.uuid()), Files.readAllBytes(folder.resolve("project.json")), folder.toString());
            assertArrayEquals(account.projectDocsJson(backup.main, project.uuid()), Files.readAllBytes(folder.resolve("docs.json")));
            assertArrayEquals(account.projectFilesJson(backup.main, project.uuid()), Files.readAllBytes(folder.resolve("files.json")));
            byte[] memory = account.projectMemoryJson(backup.main, project.uuid());
            if (memory != null) {
                assertArrayEquals(memory, Files.readAllBytes(folder.resolve("memory.json")));
            }
            MAPPER.readTree(folder.resolve("project.json").toFile()); // whole JSON
        }
        try (Stream<Path> folders = Files.list(main.resolve("projects"))) {
            List<String> uuids = folders.map(f -> ChatFileNamer.uuidOf(f.getFileName().toString()).orElseThrow()).toList();
            assertEquals(uuids.size(), Set.copyOf(uuids).size(), "one folder per project: " + uuids);
        }
    }

    private Path projectFolder(SampleAccount.Project project) {
        SampleAccount.Project now = account.project(backup.main, project.uuid());
        String name = now == null ? project.name() : now.name();
        return backup.folder(backup.main).resolve("projects").resolve(ChatFileNamer.slug(name, project.uuid()));
    }
}
