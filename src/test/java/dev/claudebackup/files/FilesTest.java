package dev.claudebackup.files;

import static dev.claudebackup.files.FileFixture.message;
import static dev.claudebackup.files.FileFixture.toolUse;
import static dev.claudebackup.files.FileFixture.withFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * routes/files.camel.yaml against the loopback API with real PNG, PDF and webp bytes: the real command,
 * the real routes, the real file system and state.
 */
class FilesTest {

    @TempDir
    Path dir;
    Path backup;
    FileFixture api;
    byte[] png;
    byte[] pdf;
    String screenshot;
    String report;
    String diagram;
    String blob;
    SampleAccount.Chat chat;

    @BeforeEach
    void start() throws IOException {
        backup = dir.resolve("backup");
        api = new FileFixture();
        png = FileFixture.png(64, 48);
        pdf = FileFixture.pdf("Quarterly report");
        screenshot = api.serve("preview", "image/png", png);
        report = api.serve("document_pdf", "application/pdf", pdf);
        diagram = api.serve("thumbnail", "image/webp", FileFixture.WEBP);
        blob = java.util.UUID.randomUUID().toString();
        ObjectNode blobEntry = FileFixture.MAPPER.createObjectNode().put("file_kind", "blob").put("file_uuid", blob).put("file_name", "data.bin");
        ObjectNode diagramEntry = FileFixture.MAPPER.createObjectNode().put("file_kind", "image").put("file_uuid", diagram)
                .put("file_name", "diagram.png").put("thumbnail_url", api.filePath(diagram, "thumbnail"));
        // the screenshot is named twice in one message: in files_v2 and in files
        ObjectNode first = withFiles(withFiles(message("Look at these"), "files_v2",
                        api.image(screenshot, "Screen shot: 1/2.png", api.api.baseUrl() + api.filePath(screenshot, "preview")),
                        api.document(report, "Quarterly report.docx", api.filePath(report, "document_pdf"))),
                "files", api.image(screenshot, "Screen shot: 1/2.png", null));
        ObjectNode second = withFiles(message("And this"), "files_v2", diagramEntry, blobEntry);
        chat = api.chat("Files everywhere", first, second);
        api.chat("No files at all", message("hello"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void eachFileIsSavedOnceWithItsExactBytes() throws Exception {
        BackupRunner.Result result = api.backup(backup);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertArrayEquals(png, Files.readAllBytes(saved(screenshot)));
        assertEquals("Screen_shot__1_2-" + screenshot + ".png", saved(screenshot).getFileName().toString());
        assertArrayEquals(pdf, Files.readAllBytes(saved(report)));
        assertEquals("Quarterly_report-" + report + ".pdf", saved(report).getFileName().toString(), "the bytes are a PDF");
        assertArrayEquals(FileFixture.WEBP, Files.readAllBytes(saved(diagram)));
        assertEquals("diagram-" + diagram + ".webp", saved(diagram).getFileName().toString(), "the bytes are webp");
        assertEquals(List.of(screenshot + "/preview"), api.downloads(key -> key.startsWith(screenshot)), "asked once");
        assertEquals(3, api.downloads.size(), api.downloads.toString());
        assertTrue(api.savedFile(backup, blob).isEmpty());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(saved(png == null ? null : screenshot))));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(api.filesFolder(backup))));
        assertEquals(2, result.stdoutLines().size(), "stdout still lists chats only: " + result.stdout());
        assertTrue(result.stderr().contains("files: 3 saved (" ), result.stderr());

        JsonNode files = report().path("files");
        assertEquals(3, files.path("saved").asInt(), files.toPrettyString());
        assertEquals(1, files.path("not_downloadable").asInt(), files.toPrettyString());
        assertEquals(png.length + pdf.length + FileFixture.WEBP.length, files.path("bytes").asLong());
        JsonNode underChat = files.path("not_saved").get(0);
        assertEquals(chat.uuid(), underChat.path("chat").asText(), files.toPrettyString());
        assertEquals(blob, underChat.path("files").get(0).path("file_uuid").asText());
        assertEquals("not_downloadable", underChat.path("files").get(0).path("status").asText());
        assertTrue(Stream.of(api.filesFolder(backup).toFile().list()).noneMatch(name -> name.startsWith(".")), "no temporary file left");
    }

    private Path saved(String uuid) throws IOException {
        return api.savedFile(backup, uuid).orElseThrow(() -> new AssertionError("no file for " + uuid));
    }

    private JsonNode report() throws IOException {
        return FileFixture.MAPPER.readTree(backup.resolve(".claude-backup/last-run.json").toFile());
    }
}
