package dev.claudebackup.projects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** --demo shows a project with instructions and two docs, its memory, the organization's memory and a style of one's own. */
class DemoProjectsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theDemoHasAProjectWithTwoDocsAMemoryAndACustomStyle() throws Exception {
        BackupRunner.Result result = BackupRunner.run(BackupRunner.environment(), "--demo", dir.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        Path personal = only(dir.resolve("organizations"), "Personal-");
        Path project = only(personal.resolve("projects"), "Kitchen_garden-");
        assertFalse(MAPPER.readTree(project.resolve("project.json").toFile()).path("prompt_template").asText().isBlank(), "instructions");
        assertEquals(2, MAPPER.readTree(project.resolve("docs.json").toFile()).size());
        assertTrue(MAPPER.readTree(project.resolve("memory.json").toFile()).path("memory").asText().contains("clay soil"));
        assertTrue(Files.isRegularFile(project.resolve("files.json")));
        assertFalse(MAPPER.readTree(personal.resolve("memory.json").toFile()).path("memory").asText().isBlank());
        JsonNode styles = MAPPER.readTree(personal.resolve("styles.json").toFile());
        assertEquals("Plain and brief", styles.path("customStyles").path(0).path("name").asText());
        assertTrue(result.stderr().contains("; projects: 1 new, 0 updated, 0 renamed, 0 unchanged, 0 failed"), result.stderr());
    }

    private static Path only(Path folder, String prefix) throws Exception {
        try (Stream<Path> children = Files.list(folder)) {
            List<Path> found = children.filter(child -> child.getFileName().toString().startsWith(prefix)).toList();
            assertEquals(1, found.size(), folder + ": " + found);
            return found.get(0);
        }
    }
}
