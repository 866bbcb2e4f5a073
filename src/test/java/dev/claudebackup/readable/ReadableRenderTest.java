package dev.claudebackup.readable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * The readable copy of a backup made by hand, through {@code claude-backup render} (the real command):
 * Markdown with every message of every branch, artifacts rebuilt version by version, projects, and
 * nothing from a chat that could run or leave readable/.
 */
class ReadableRenderTest {

    @TempDir
    Path dir;
    ReadableFixture backup;

    @BeforeEach
    void makeBackup() throws IOException {
        backup = new ReadableFixture(dir.resolve("backup"));
    }

    BackupRunner.Result render() {
        return BackupRunner.run(Map.of("HOME", dir.toString()), "render", "--dir", backup.backup.toString());
    }

    @Test
    void markdownHoldsEveryMessageOfEveryBranch() throws IOException {
        Path other = backup.plainChat("Three turns", java.util.UUID.randomUUID().toString(), 3, true, "2025-06-04T10:00:00.000000Z");
        BackupRunner.Result result = render();
        assertEquals(ExitStatus.OK, result.status(), result.toString());

        for (Path json : List.of(other, backup.chatJson(backup.richName, backup.richUuid))) {
            JsonNode chat = ReadableFixture.MAPPER.readTree(json.toFile());
            String name = chat.path("name").asText();
            String markdown = Files.readString(backup.markdown(name, chat.path("uuid").asText()));
            String page = Files.readString(backup.page(name, chat.path("uuid").asText()));
            for (JsonNode message : chat.path("chat_messages")) {
                for (JsonNode block : message.path("content")) {
                    if (block.path("type").asText().equals("text")) {
                        String firstLine = block.path("text").asText().lines().findFirst().orElse("");
                        assertTrue(markdown.contains(firstLine), "the Markdown of " + name + " lacks: " + firstLine);
                    }
                }
                assertTrue(page.contains("id=\"m-" + message.path("uuid").asText() + "\""), "the page lacks message " + message.path("uuid"));
            }
        }
        String three = Files.readString(backup.markdown("Three turns", ReadableFixture.MAPPER.readTree(other.toFile()).path("uuid").asText()));
        assertTrue(three.contains("## Branch 2"), three);
        assertTrue(three.indexOf("Answer 3 of Three turns") < three.indexOf("Retried answer of Three turns"),
                "the branch claude.ai shows comes first: " + three);
        assertTrue(three.contains("Forks after message 1"), three);

        String rich = Files.readString(backup.markdown(backup.richName, backup.richUuid));
        assertTrue(rich.contains("Thinking about soil and sun"), rich);
        assertTrue(rich.contains("companion planting tomatoes"), rich);
        assertTrue(rich.contains("https://example.org/companions"), rich);
        assertTrue(rich.contains("Pasted notes: tomatoes and basil"), rich);
        assertTrue(rich.contains("- Project: Garden planner"), rich);
        assertTrue(rich.contains("- Starred"), rich);
    }

    @Test
    void aChatTooLongToRenderIsShownByItsHeadWithANoteAndTheRestStillRenders() throws IOException {
        String uuid = java.util.UUID.randomUUID().toString();
        com.fasterxml.jackson.databind.node.ObjectNode chat = ReadableFixture.chat(uuid, "A huge chat", "2025-06-05T10:00:00.000000Z");
        com.fasterxml.jackson.databind.node.ArrayNode messages = chat.putArray("chat_messages");
        String parent = ReadableFixture.ROOT_PARENT;
        String paragraph = "Zanzibar ".repeat(100_000); // 900 KB a message
        for (int i = 0; i < 12; i++) {
            parent = ReadableFixture.message(messages, parent, i % 2 == 0 ? "human" : "assistant", i + " " + paragraph);
        }
        chat.put("current_leaf_message_uuid", parent);
        Path json = backup.chatJson("A huge chat", uuid);
        backup.write(backup.backup.relativize(json).toString(), chat);
        assertTrue(Files.size(json) > ChatRenderer.RENDERED_AT_MOST, "the test chat is over the limit");

        BackupRunner.Result result = render();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        String page = Files.readString(backup.page("A huge chat", uuid));
        assertTrue(page.contains("This chat (12 messages) is ") && page.contains("too long to show here"), page);
        assertTrue(page.contains("organizations/") && page.contains(uuid + ".json"), "where the whole chat is");
        assertFalse(page.contains("Zanzibar"), "no message rendered");
        assertTrue(Files.readString(backup.markdown("A huge chat", uuid)).contains("too long to show here"));
        assertTrue(Files.isRegularFile(backup.page(backup.richName, backup.richUuid)), "the other chats render as ever");
    }

    @Test
    void artifactsAreRebuiltVersionByVersion() throws IOException {
        assertEquals(ExitStatus.OK, render().status());
        Path artifacts = backup.artifacts(backup.richName, backup.richUuid);

        assertEquals("def plan():\n    return 'tomatoes'\n", Files.readString(artifacts.resolve("garden-plan-v1.py")), "create");
        assertEquals("def plan():\n    return 'tomatoes and basil'\n", Files.readString(artifacts.resolve("garden-plan-v2.py")), "update");
        assertEquals("def plan():\n    return ['tomatoes', 'basil', 'marigolds']\n", Files.readString(artifacts.resolve("garden-plan.py")),
                "rewrite: the last version under the artifact's own name");
        assertEquals("# Notes\nWater daily\n", Files.readString(artifacts.resolve("old-notes.md")), "an <antArtifact> tag");
        assertEquals("<html><body><script>window.__pwned=4</script>Hello</body></html>", Files.readString(artifacts.resolve("page.html")));
        assertEquals("bed,plant\n1,tomato\n", Files.readString(artifacts.resolve("beds-v1.csv")), "create_file");
        assertEquals("bed,plant\n1,tomato\n2,basil\n", Files.readString(artifacts.resolve("beds.csv")), "str_replace");
        assertEquals("must stay inside readable/", Files.readString(artifacts.resolve("outside.txt")));
        assertFalse(Files.exists(backup.backup.resolve("outside.txt")));
        assertFalse(Files.exists(dir.resolve("outside.txt")));

        String page = Files.readString(backup.page(backup.richName, backup.richUuid));
        assertTrue(page.contains("artifacts/garden-plan-v1.py"), "each version linked where it was made");
        assertTrue(page.contains("artifacts/page.html"), "the HTML artifact is a link to its file");
        assertFalse(page.contains("window.__pwned=4"), "never inlined");
    }

    @Test
    void twoArtifactsNeverShareAFileNotEvenThroughAVersionsName() throws IOException {
        String uuid = java.util.UUID.randomUUID().toString();
        var chat = ReadableFixture.chat(uuid, "Colliding artifacts", "2025-06-05T10:00:00.000000Z");
        var messages = chat.putArray("chat_messages");
        String question = ReadableFixture.message(messages, ReadableFixture.ROOT_PARENT, "human", "Two notes, please");
        ReadableFixture.message(messages, question, "assistant", null);
        var content = ((com.fasterxml.jackson.databind.node.ObjectNode) messages.get(1)).putArray("content");
        ReadableFixture.artifact(content, "create", "notes", "Notes", "text/markdown", null, "first notes", null, null);
        ReadableFixture.artifact(content, "rewrite", "notes", "Notes", "text/markdown", null, "second notes", null, null);
        ReadableFixture.artifact(content, "create", "notes-v1", "Other notes", "text/markdown", null, "other notes", null, null);
        chat.put("current_leaf_message_uuid", ChatTree.uuid(messages.get(1)));
        backup.write("organizations/" + backup.orgSlug + "/chat_conversations/" + dev.claudebackup.store.ChatFileNamer.slug("Colliding artifacts", uuid) + ".json", chat);

        assertEquals(ExitStatus.OK, render().status());

        Path artifacts = backup.artifacts("Colliding artifacts", uuid);
        assertEquals("first notes", Files.readString(artifacts.resolve("notes-v1.md")));
        assertEquals("second notes", Files.readString(artifacts.resolve("notes.md")));
        assertEquals(List.of("notes-v1-2.md", "notes-v1.md", "notes.md"), names(artifacts), "the other artifact under a name of its own");
        assertEquals("other notes", Files.readString(artifacts.resolve("notes-v1-2.md")));
    }

    @Test
    void nothingFromAChatIsLeftAsHtmlOrScript() throws IOException {
        assertEquals(ExitStatus.OK, render().status());
        String hostile = Files.readString(backup.page(ReadableFixture.HOSTILE_NAME, backup.hostileUuid));
        assertFalse(hostile.contains("<img src=x"), hostile);
        assertFalse(hostile.contains("<script>window"), hostile);
        assertFalse(hostile.contains("<iframe"), hostile);
        assertFalse(hostile.contains("<b>bold?</b>"), hostile);
        assertTrue(hostile.contains("<h1 id=\"chat-name\">&lt;img src"), "the name as text");
        assertTrue(hostile.contains("Content-Security-Policy"), hostile);
        assertFalse(hostile.contains("<script>") || hostile.matches("(?s).*<script(?! src=\"\\.\\./assets/chat\\.js\").*"),
                "the only script is the page's own file");

        String rich = Files.readString(backup.page(backup.richName, backup.richUuid));
        assertTrue(rich.contains("href=\"https://example.com/garden\""), "http(s) links are kept");
        assertTrue(rich.contains("#include &lt;beds&gt;") && rich.contains("**big**"), "a person's message as typed, escaped");
        assertTrue(Files.readString(backup.markdown(backup.richName, backup.richUuid)).contains(ReadableFixture.TYPED_QUESTION),
                "and in the Markdown file");
        assertFalse(rich.contains("javascript:"), "other links are dropped");
        assertTrue(rich.contains("<table>"), "GFM tables");
        assertTrue(rich.contains("<del>weeds</del>"), "GFM strikethrough");
        assertTrue(rich.contains("href=\"http://www.example.net\""), "autolinks");

        try (Stream<Path> files = Files.walk(backup.backup)) {
            for (Path file : files.toList()) {
                assertTrue(file.startsWith(backup.readable()) || !file.toString().contains("escape") && !file.toString().contains("outside"),
                        "written outside readable/: " + file);
            }
        }
    }

    @Test
    void projectsAreRenderedAndImagesLinked() throws IOException {
        assertEquals(ExitStatus.OK, render().status());
        Path project = backup.readable().resolve(backup.orgSlug).resolve("projects").resolve(backup.projectSlug);
        String instructions = Files.readString(project.resolve("instructions.md"));
        assertTrue(instructions.contains("# Garden planner") && instructions.contains("Always answer as a gardener."), instructions);
        assertEquals("# Soil\nLoamy", Files.readString(project.resolve("docs").resolve("soil.md")));
        assertEquals("stays inside", Files.readString(project.resolve("docs").resolve("escape.txt")));
        assertTrue(Files.readString(project.resolve("memory.md")).contains("The user grows tomatoes."));

        String rich = Files.readString(backup.page(backup.richName, backup.richUuid));
        assertTrue(rich.contains("<img src=\"../../organizations/" + backup.orgSlug + "/files/garden-" + backup.imageUuid + ".png\""), rich);
        assertTrue(rich.contains("lost.png (not in the backup)"), "a file not saved is named, not linked");
        assertTrue(rich.contains("href=\"../index.html#project-" + backup.projectUuid + "\""), "the project linked");

        String data = Files.readString(backup.readable().resolve("index-data.js"));
        assertTrue(data.startsWith("window.claudeBackupIndex = {"), data);
        assertTrue(data.contains("\"name\":\"Garden planner\"") && data.contains("soil.md"), data);
    }

    @Test
    void aProjectSavedIsRenderedAndARenamedOneLeavesNoOldFolder() throws Exception {
        assertEquals(ExitStatus.OK, render().status()); // the organization has its readable copy
        ReadableCopy copy = new ReadableCopy(backup.backup, "readable", new dev.claudebackup.report.Console(System.out, System.err, true));
        String folder = "organizations/" + backup.orgSlug + "/projects/" + backup.projectSlug;
        Path instructions = backup.readable().resolve(backup.orgSlug).resolve("projects").resolve(backup.projectSlug).resolve("instructions.md");
        Files.delete(instructions);
        try (var camel = new org.apache.camel.impl.DefaultCamelContext()) {
            var saved = new org.apache.camel.support.DefaultExchange(camel);
            saved.getMessage().setHeader(org.apache.camel.Exchange.FILE_NAME, folder + "/project.json");
            copy.projectSaved(saved);
            Path project = backup.readable().resolve(backup.orgSlug).resolve("projects").resolve(backup.projectSlug);
            assertTrue(Files.readString(project.resolve("instructions.md")).contains("Always answer as a gardener."));

            String renamedSlug = dev.claudebackup.store.ChatFileNamer.slug("Vegetable garden", backup.projectUuid);
            Path renamed = backup.backup.resolve("organizations").resolve(backup.orgSlug).resolve("projects").resolve(renamedSlug);
            Files.move(backup.backup.resolve(folder), renamed);
            var again = new org.apache.camel.support.DefaultExchange(camel);
            again.getMessage().setHeader(org.apache.camel.Exchange.FILE_NAME, "organizations/" + backup.orgSlug + "/projects/" + renamedSlug + "/project.json");
            again.setProperty("previousProjectFolder", folder);
            copy.projectSaved(again);

            assertFalse(Files.exists(project), "the old folder goes");
            assertTrue(Files.isRegularFile(project.resolveSibling(renamedSlug).resolve("docs").resolve("soil.md")));
        }
    }

    @Test
    void aProjectSavedBeforeItsOrganizationHasACopyIsRenderedWithItAtTheRunsEnd() throws Exception {
        ReadableCopy copy = new ReadableCopy(backup.backup, "readable", new dev.claudebackup.report.Console(System.out, System.err, true));
        try (var camel = new org.apache.camel.impl.DefaultCamelContext()) {
            var saved = new org.apache.camel.support.DefaultExchange(camel);
            saved.getMessage().setHeader(org.apache.camel.Exchange.FILE_NAME,
                    "organizations/" + backup.orgSlug + "/projects/" + backup.projectSlug + "/project.json");
            copy.projectSaved(saved);
            assertFalse(Files.exists(backup.readable().resolve(backup.orgSlug)), "the organization's copy is made whole, at the end");

            copy.backupWritten(new org.apache.camel.support.DefaultExchange(camel));
        }
        Path project = backup.readable().resolve(backup.orgSlug).resolve("projects").resolve(backup.projectSlug);
        assertTrue(Files.readString(project.resolve("instructions.md")).contains("Always answer as a gardener."));
        assertTrue(Files.isRegularFile(backup.page(backup.richName, backup.richUuid)));
        assertEquals(List.of(), temporaryEntries(), "no staging folder left");
    }

    @Test
    void aFirstRenderIsMadeOutOfSightAndWhatAKilledOneLeftIsRemoved() throws IOException {
        // what a render killed while making the organization's copy leaves: a staging folder, never readable/<OrgSlug>/
        Path leftover = backup.readable().resolve(dev.claudebackup.store.BackupFolder.temporaryName());
        Files.createDirectories(leftover.resolve("chat").resolve("artifacts"));
        Files.writeString(leftover.resolve("half.html"), "<p>half");
        Files.writeString(backup.readable().resolve(dev.claudebackup.store.BackupFolder.temporaryName()), "half an index");
        Files.writeString(backup.readable().resolve(".part-of-my-notes.txt"), "a person's own file"); // not a name we make

        assertEquals(ExitStatus.OK, render().status());

        assertEquals(List.of(".part-of-my-notes.txt"), temporaryEntries());
        assertTrue(Files.isRegularFile(backup.page(backup.richName, backup.richUuid)));
        assertTrue(Files.isRegularFile(backup.readable().resolve(backup.orgSlug).resolve("projects").resolve(backup.projectSlug)
                .resolve("instructions.md")));
        try (Stream<Path> files = Files.walk(backup.readable().resolve(backup.orgSlug))) {
            for (Path file : files.toList()) {
                assertEquals(Files.isDirectory(file) ? "rwx------" : "rw-------",
                        java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
    }

    @Test
    void anOrganizationFolderMadeWhileItsCopyIsStagedIsLeftAsItIs() throws IOException {
        ReadableFolder folder = new ReadableFolder(backup.backup, "readable");
        assertTrue(folder.stage(backup.orgSlug));
        Path page = folder.page(backup.orgSlug, "chat.html");
        folder.write(page, "<p>rendered");
        assertFalse(page.startsWith(backup.readable().resolve(backup.orgSlug)), "written out of sight: " + page);
        Path mine = Files.createDirectories(backup.readable().resolve(backup.orgSlug));
        Files.writeString(mine.resolve("notes.txt"), "mine");

        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> folder.unstage(backup.orgSlug));

        assertEquals(List.of("notes.txt"), names(mine));
        assertEquals(List.of(), temporaryEntries(), "the staging folder is removed");
        assertFalse(folder.stage(backup.orgSlug), "an organization with a folder is written file by file");
    }

    private List<String> temporaryEntries() throws IOException {
        return names(backup.readable()).stream().filter(name -> name.startsWith(".part-")).toList();
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void renderRebuildsADeletedReadableFolder() throws IOException {
        assertEquals(ExitStatus.OK, render().status());
        String before = Files.readString(backup.page(backup.richName, backup.richUuid));
        try (Stream<Path> files = Files.walk(backup.readable())) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        assertFalse(Files.exists(backup.readable()));

        BackupRunner.Result result = render();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(before, Files.readString(backup.page(backup.richName, backup.richUuid)));
        assertTrue(Files.isRegularFile(backup.readable().resolve("index.html")));
        assertTrue(Files.isRegularFile(backup.readable().resolve("assets").resolve("chat.js")));
        assertTrue(result.stderr().contains("Rendered 2 chats"), result.toString());
    }

    @Test
    void renderRefusesAFolderWithoutABackup() {
        BackupRunner.Result result = BackupRunner.run(Map.of("HOME", dir.toString()), "render", "--dir", dir.resolve("nothing").toString());
        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
    }
}
