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

    @Test
    void laterRunsAChangedChatARenamedChatAndIgnoreCacheFetchNoFile() throws Exception {
        assertEquals(ExitStatus.OK, api.backup(backup).status());
        api.downloads.clear();

        BackupRunner.Result second = api.backup(backup);
        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertEquals(List.of(), api.downloads, "nothing new");

        // the chat changes (a new message) and is renamed: fetched again, its files are not
        String chatJson = new String(chat.json(), java.nio.charset.StandardCharsets.UTF_8);
        ObjectNode changed = (ObjectNode) FileFixture.MAPPER.readTree(chatJson);
        changed.put("name", "Files, renamed");
        ((com.fasterxml.jackson.databind.node.ArrayNode) changed.get("chat_messages")).add(message("one more"));
        api.account.putRawChat(api.organization.uuid(), chat.uuid(), "Files, renamed", FileFixture.MAPPER.writeValueAsBytes(changed));
        BackupRunner.Result third = api.backup(backup);
        assertEquals(ExitStatus.OK, third.status(), third.toString());
        assertTrue(third.stdout().contains(chat.uuid()), "the chat was saved again: " + third.stdout());
        assertEquals(List.of(), api.downloads, "its files were not");

        BackupRunner.Result fourth = api.backup(backup, "--ignore-cache");
        assertEquals(ExitStatus.OK, fourth.status(), fourth.toString());
        assertEquals(List.of(), api.downloads, "--ignore-cache fetches chats again, never a file");
        assertArrayEquals(png, Files.readAllBytes(saved(screenshot)));
    }

    @Test
    void aFileDeletedByHandIsFetchedAgain() throws Exception {
        assertEquals(ExitStatus.OK, api.backup(backup).status());
        Files.delete(saved(report));
        api.downloads.clear();
        // the chat changed: its files are looked at again, and the one missing is fetched
        api.putChat(chat.uuid(), chat.name(), withFiles(message("again"), "files_v2", api.document(report, "Quarterly report.docx", null)));

        BackupRunner.Result result = api.backup(backup);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(List.of(report + "/document_pdf"), api.downloads);
        assertArrayEquals(pdf, Files.readAllBytes(saved(report)));
    }

    @Test
    void filesGoneFromClaudeAreReportedUnderTheirChatAndNeverAskedAgain() throws Exception {
        String missing = java.util.UUID.randomUUID().toString(); // never served: 404
        String gone = api.serve("preview", "image/png", png);
        String forbidden = api.serve("preview", "image/png", png);
        api.failFirst(99, gone, served -> Response.json(410, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\"}}"));
        api.failFirst(99, forbidden, served -> Response.json(403,
                "{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"You do not have access to this file\"}}"));
        SampleAccount.Chat old = api.chat("Old pictures", withFiles(message("pictures"), "files_v2",
                api.image(missing, "lost.png", null), api.image(gone, "gone.png", null), api.image(forbidden, "theirs.png", null)));

        BackupRunner.Result first = api.backup(backup);

        assertEquals(ExitStatus.OK, first.status(), "gone files are no failure: " + first);
        assertTrue(first.stderr().contains("No longer on claude.ai: file lost.png (" + missing + ") of chat Old pictures"), first.stderr());
        JsonNode files = report().path("files");
        assertEquals(3, files.path("unavailable").asInt(), files.toPrettyString());
        assertEquals(0, files.path("failed").asInt());
        JsonNode underChat = null;
        for (JsonNode owner : files.path("not_saved")) {
            if (owner.path("chat").asText().equals(old.uuid())) {
                underChat = owner;
            }
        }
        assertTrue(underChat != null, files.toPrettyString());
        assertEquals("Old pictures", underChat.path("name").asText());
        List<String> reasons = new java.util.ArrayList<>();
        underChat.path("files").forEach(file -> reasons.add(file.path("file_uuid").asText() + " " + file.path("status").asText()
                + " " + file.path("reason").asText()));
        assertEquals(List.of(missing + " unavailable HTTP 404 from claude.ai: not found",
                gone + " unavailable HTTP 410 from claude.ai: gone",
                forbidden + " unavailable HTTP 403 from claude.ai: no permission (You do not have access to this file)"), reasons);
        assertTrue(report().path("failures").isEmpty());

        api.downloads.clear();
        api.putChat(old.uuid(), "Old pictures, changed", withFiles(message("pictures"), "files_v2",
                api.image(missing, "lost.png", null), api.image(gone, "gone.png", null), api.image(forbidden, "theirs.png", null)));
        BackupRunner.Result second = api.backup(backup);
        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertEquals(List.of(), api.downloads, "not asked again");
    }

    @Test
    void aServerErrorThatHealsIsRetriedAndOneThatLastsFailsTheRunUntilTheNextRun() throws Exception {
        api.failFirst(2, screenshot, served -> Response.json(500, "{\"type\":\"error\",\"error\":{\"type\":\"api_error\"}}"));

        BackupRunner.Result healed = api.backup(backup);

        assertEquals(ExitStatus.OK, healed.status(), healed.toString());
        assertTrue(healed.stderr().contains("Retrying file Screen shot: 1/2.png (" + screenshot + ") of chat Files everywhere ("
                + chat.uuid() + ") after HTTP 500 from claude.ai: try 2 of 11"), healed.stderr());
        assertArrayEquals(png, Files.readAllBytes(saved(screenshot)));
        assertEquals(3, api.downloads(key -> key.startsWith(screenshot)).size());

        // another chat, whose file keeps failing past the retries
        String flaky = api.serve("preview", "image/png", FileFixture.png(10, 10));
        api.failFirst(3, flaky, served -> Response.json(503, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}"));
        SampleAccount.Chat later = api.chat("Later", withFiles(message("x"), "files_v2", api.image(flaky, "flaky.png", null)));
        BackupRunner.Result failed = api.backup(backup, "--retries", "2");

        assertEquals(ExitStatus.SOME_FAILED, failed.status(), failed.toString());
        assertTrue(failed.stderr().contains("Could not save file flaky.png (" + flaky + ") of chat Later (" + later.uuid()
                + "): HTTP 503 from claude.ai"), failed.stderr());
        assertTrue(failed.stdout().contains(later.uuid()), "the chat itself is saved: " + failed.stdout());
        assertTrue(api.savedFile(backup, flaky).isEmpty());
        JsonNode report = report();
        assertEquals(1, report.path("files").path("failed").asInt(), report.toPrettyString());
        assertEquals(flaky, report.path("failures").get(0).path("uuid").asText(), report.toPrettyString());
        assertEquals(0, report.path("totals").path("failed").asInt(), "no chat failed");

        api.downloads.clear();
        BackupRunner.Result next = api.backup(backup);
        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(List.of(flaky + "/preview"), api.downloads, "the next run asks for it again, and only for it");
        assertTrue(api.savedFile(backup, flaky).isPresent());
    }

    @Test
    void aBodyCutShortIsAFailedTryAndNeverLeavesAFile() throws Exception {
        api.failFirst(1, report, served -> new Response(200, java.util.Map.of("Content-Type", "application/pdf"), served.bytes())
                .cutShort(served.bytes().length / 2));

        BackupRunner.Result retried = api.backup(backup);

        assertEquals(ExitStatus.OK, retried.status(), retried.toString());
        assertTrue(retried.stderr().contains("Retrying file Quarterly report.docx (" + report + ")"), retried.stderr());
        assertArrayEquals(pdf, Files.readAllBytes(saved(report)));

        String cut = api.serve("preview", "image/png", FileFixture.png(300, 300));
        api.failFirst(99, cut, served -> new Response(200, java.util.Map.of("Content-Type", "image/png"), served.bytes())
                .cutShort(served.bytes().length - 10));
        api.chat("Cut", withFiles(message("x"), "files_v2", api.image(cut, "cut.png", null)));
        BackupRunner.Result failed = api.backup(backup, "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, failed.status(), failed.toString());
        assertTrue(api.savedFile(backup, cut).isEmpty(), "no file from a body cut short");
        assertTrue(Stream.of(api.filesFolder(backup).toFile().list()).noneMatch(name -> name.startsWith(".")), "no temporary file left");
    }

    @Test
    void anExistingBackupGetsItsFilesOnceAndNoFilesMakesNoFileRequest() throws Exception {
        BackupRunner.Result without = api.backup(backup, "--no-files");
        assertEquals(ExitStatus.OK, without.status(), without.toString());
        assertEquals(List.of(), api.downloads, "--no-files asks for no file");
        assertFalse(Files.exists(api.filesFolder(backup)));
        assertEquals(0, report().path("files").path("saved").asInt());

        BackupRunner.Result next = api.backup(backup);
        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertTrue(next.stdout().isEmpty(), "no chat was fetched again: " + next.stdout());
        assertTrue(next.stderr().contains("Looking for the files of 2 chats saved before"), next.stderr());
        assertArrayEquals(png, Files.readAllBytes(saved(screenshot)));
        assertArrayEquals(pdf, Files.readAllBytes(saved(report)));
        assertEquals(3, api.downloads.size(), api.downloads.toString());
        assertEquals(3, report().path("files").path("saved").asInt());

        api.downloads.clear();
        BackupRunner.Result third = api.backup(backup);
        assertEquals(ExitStatus.OK, third.status(), third.toString());
        assertEquals(List.of(), api.downloads, "once");
        assertFalse(third.stderr().contains("Looking for the files"), third.stderr());
    }

    @Test
    void aRefusedSessionKeyOnAFileStopsTheRun() throws Exception {
        api.failFirst(99, screenshot, served -> Response.json(401,
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid authorization\"}}"));

        BackupRunner.Result result = api.backup(backup);

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertTrue(result.stderr().contains("claude.ai refused the session key (HTTP 401)"), result.stderr());
        assertTrue(api.savedFile(backup, screenshot).isEmpty());
    }

    @Test
    void filesClaudesCodeExecutionWroteAreSavedBestEffort() throws Exception {
        String path = "/mnt/user-data/outputs/summary report.md";
        api.served.put("sandbox " + path, new FileFixture.Served("text/markdown", "# Summary\n".getBytes()));
        ObjectNode created = toolUse(message("made a file"), "create_file",
                FileFixture.MAPPER.createObjectNode().put("path", path).put("file_text", "# Summary\n"));
        ObjectNode shown = toolUse(message("here it is"), "present_files",
                FileFixture.MAPPER.createObjectNode().set("filepaths",
                        FileFixture.MAPPER.createArrayNode().add(path).add("/mnt/user-data/outputs/chart.png")));
        SampleAccount.Chat made = api.chat("Made files", created, shown);

        BackupRunner.Result result = api.backup(backup);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(1, api.downloads(key -> key.equals("sandbox " + path)).size(), api.downloads.toString());
        String uuid = java.util.UUID.nameUUIDFromBytes(("sandbox " + made.uuid() + " " + path).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        assertEquals("# Summary\n", Files.readString(saved(uuid)));
        assertEquals("summary_report-" + uuid + ".md", saved(uuid).getFileName().toString());
        assertEquals(1, report().path("files").path("unavailable").asInt(), "chart.png is not there: " + report().path("files"));
    }

    @Test
    void aProjectsFilesListIsSavedOnItsEvent() throws Exception {
        // The projects branch publishes project-saved; here a route of our own does, with a files.json we write.
        String projectUuid = java.util.UUID.randomUUID().toString();
        String projectFolder = "organizations/" + ChatFileNamer.slug(api.organization.name(), api.organization.uuid())
                + "/projects/" + ChatFileNamer.slug("Launch", projectUuid);
        String handbook = api.serve("document_pdf", "application/pdf", FileFixture.pdf("Handbook"));
        Path folder = Files.createDirectories(backup.resolve(projectFolder));
        Files.writeString(folder.resolve("project.json"), "{\"uuid\":\"" + projectUuid + "\",\"name\":\"Launch\"}");
        Files.writeString(folder.resolve("files.json"), "[" + api.document(handbook, "Handbook.pdf", null) + "]");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("project.camel.yaml"), """
                - route:
                    id: test-project-saved
                    from:
                      uri: "{{events.backup-written}}"
                      steps:
                        - setHeader:
                            name: CamelFileName
                            constant: "%s/project.json"
                        - setProperty:
                            name: projectFiles
                            method:
                              beanType: dev.claudebackup.files.ProjectFilesForTest
                              method: "paths(${header.CamelFileName})"
                        - setHeader:
                            name: ClaudeBackupOutcome
                            constant: NEW
                        - to: "{{events.project-saved}}"
                """.formatted(projectFolder));

        BackupRunner.Result result = api.backup(backup, "--routes", routes.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertArrayEquals(FileFixture.pdf("Handbook"), Files.readAllBytes(saved(handbook)));
        assertEquals("Handbook-" + handbook + ".pdf", saved(handbook).getFileName().toString());
        assertEquals(4, report().path("files").path("saved").asInt());
    }

    @Test
    void filesOverTheSizeLimitAreSkippedWithALineAndAReportEntry() throws Exception {
        Path config = dir.resolve("limit.properties");
        Files.writeString(config, "backup.files.max-size-mb=0.0001\nbackup.progress=lines\nbackup.progress-interval=0\n");

        BackupRunner.Result result = api.backup(backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(api.savedFile(backup, screenshot).isEmpty());
        assertTrue(api.savedFile(backup, diagram).isPresent(), "the webp (" + FileFixture.WEBP.length + " bytes) is under 100 bytes");
        assertTrue(result.stderr().contains("Skipped file Screen shot: 1/2.png (" + screenshot + ") of chat Files everywhere ("
                + chat.uuid() + "): larger than backup.files.max-size-mb"), result.stderr());
        assertTrue(result.stderr().contains("Files so far: 1 saved (" + FileFixture.WEBP.length + " B), 0 unavailable, 0 failed, 2 skipped"), "progress counts files: " + result.stderr());
        JsonNode files = report().path("files");
        assertEquals(2, files.path("too_large").asInt(), files.toPrettyString());
        assertEquals(1, files.path("saved").asInt());

        api.downloads.clear();
        BackupRunner.Result again = api.backup(backup, "--config", config.toString());
        assertEquals(ExitStatus.OK, again.status(), again.toString());
        assertEquals(List.of(), api.downloads, "known to be too big: not asked again");
        assertEquals(2, report().path("files").path("too_large").asInt(), "but reported again");

        BackupRunner.Result unlimited = api.backup(backup);
        assertEquals(ExitStatus.OK, unlimited.status(), unlimited.toString());
        assertArrayEquals(png, Files.readAllBytes(saved(screenshot)), "without the limit, the next run saves them");
        assertArrayEquals(pdf, Files.readAllBytes(saved(report)));
    }

    @Test
    void withOneConnectionAFailedFileGivesItsSlotBack() throws Exception {
        String broken = api.serve("preview", "image/png", png);
        api.failFirst(99, broken, served -> Response.json(502, "{}"));
        String after = api.serve("preview", "image/png", FileFixture.png(5, 5));
        api.chat("Broken first", withFiles(message("x"), "files_v2", api.image(broken, "broken.png", null),
                api.image(after, "after.png", null)));

        BackupRunner.Result result = api.backup(backup, "--connections", "1", "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(api.savedFile(backup, after).isPresent(), "the file after the failed one was fetched: " + result);
        assertArrayEquals(png, Files.readAllBytes(saved(screenshot)));
    }

    @Test
    void anAssetUrlOnAnotherHostIsNeverAskedTheFileIsAskedOfTheBaseUrl() throws Exception {
        String elsewhere = api.serve("preview", "image/png", png);
        api.chat("Elsewhere", withFiles(message("x"), "files_v2",
                api.image(elsewhere, "elsewhere.png", "http://localhost:1/api/x/files/" + elsewhere + "/preview")));

        BackupRunner.Result result = api.backup(backup);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertArrayEquals(png, Files.readAllBytes(saved(elsewhere)));
        assertTrue(api.api.requests().stream().filter(FileFixture.fileRequest(elsewhere))
                .allMatch(request -> request.path().equals(api.filePath(elsewhere, "preview"))), "built from claude.api.file-path");
    }

    @Test
    void aFileThatTakesTooLongIsRetriedLikeAChat() throws Exception {
        Path config = dir.resolve("timeout.properties");
        Files.writeString(config, "backup.response-timeout=700\n");
        java.util.concurrent.atomic.AtomicInteger slow = new java.util.concurrent.atomic.AtomicInteger(1);
        api.faults.add(request -> {
            if (FileFixture.fileRequest(report).test(request) && slow.getAndDecrement() > 0) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return java.util.Optional.empty();
        });

        BackupRunner.Result result = api.backup(backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(result.stderr().contains("Retrying file Quarterly report.docx (" + report + ")") && result.stderr().contains("no answer in time"),
                result.stderr());
        assertArrayEquals(pdf, Files.readAllBytes(saved(report)));
    }

    private Path saved(String uuid) throws IOException {
        return api.savedFile(backup, uuid).orElseThrow(() -> new AssertionError("no file for " + uuid));
    }

    private JsonNode report() throws IOException {
        return FileFixture.MAPPER.readTree(backup.resolve(".claude-backup/last-run.json").toFile());
    }

    @Test
    void aChallengePageAnswered200InsteadOfAFileIsAFailedTryAndNeverSaved() throws Exception {
        byte[] challenge = "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head><body>cf</body></html>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        api.failFirst(1, report, served -> new Response(200, java.util.Map.of("Content-Type", "text/html; charset=UTF-8"), challenge));

        BackupRunner.Result retried = api.backup(backup);

        assertEquals(ExitStatus.OK, retried.status(), retried.toString());
        assertTrue(retried.stderr().contains("Retrying file Quarterly report.docx (" + report + ")"), retried.stderr());
        assertArrayEquals(pdf, Files.readAllBytes(saved(report)), "the file, not the page");

        String blocked = api.serve("preview", "image/png", FileFixture.png(7, 7));
        api.failFirst(99, blocked, served -> new Response(200, java.util.Map.of("Content-Type", "text/html"),
                "<html><body><h1>502 Bad gateway</h1></body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String page = api.serve("document_pdf", "text/html", "<!doctype html><html><body>Just a moment, my own page</body></html>"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        api.chat("Pages", withFiles(message("x"), "files_v2", api.image(blocked, "blocked.png", null),
                api.document(page, "Notes.html", api.filePath(page, "document_pdf"))));
        BackupRunner.Result failed = api.backup(backup, "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, failed.status(), failed.toString());
        assertTrue(failed.stderr().contains("an HTML page instead of the file from claude.ai"), failed.stderr());
        assertTrue(api.savedFile(backup, blocked).isEmpty(), "an error page is never saved as the file");
        assertTrue(api.savedFile(backup, page).isPresent(), "an HTML file is saved as it comes");
    }

    @Test
    void aBigDownloadStillComingOutlastsTheRequestDeadlineAndOneThatStallsFails() throws Exception {
        byte[] big = new byte[8 * 64 * 1024];
        new java.util.Random(7).nextBytes(big);
        String slow = api.serve("preview", "image/png", big);
        api.failFirst(99, slow, served -> new Response(200, java.util.Map.of("Content-Type", "image/png"), served.bytes())
                .trickled(9, 500)); // about 4 s, 64 KiB every half second
        api.chat("Slow", withFiles(message("x"), "files_v2", api.image(slow, "slow.png", null)));
        java.util.Map<String, String> environment = BackupRunner.environment();
        environment.put("BACKUP_REQUEST_DEADLINE", "2");
        environment.put("BACKUP_RESPONSE_TIMEOUT", "20000");

        BackupRunner.Result result = BackupRunner.run(environment, "--base-url", api.api.baseUrl(), "--success-delay", "0",
                "--min-retry-delay", "0.01", "--max-retry-delay", "0.05", "--retries", "0", backup.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertArrayEquals(big, Files.readAllBytes(api.savedFile(backup, slow).orElseThrow()));

        String stalled = api.serve("preview", "image/png", big);
        api.failFirst(99, stalled, served -> new Response(200, java.util.Map.of("Content-Type", "image/png"), served.bytes())
                .trickled(2, 6000)); // half, then nothing for 6 s
        api.chat("Stalled", withFiles(message("x"), "files_v2", api.image(stalled, "stalled.png", null)));
        BackupRunner.Result stall = BackupRunner.run(environment, "--base-url", api.api.baseUrl(), "--success-delay", "0",
                "--min-retry-delay", "0.01", "--max-retry-delay", "0.05", "--retries", "0", backup.toString());

        assertEquals(ExitStatus.SOME_FAILED, stall.status(), stall.toString());
        assertTrue(stall.stderr().contains("the download stalled"), stall.stderr());
        assertTrue(api.savedFile(backup, stalled).isEmpty());
    }

    @Test
    void aFilesFolderLinkPlantedDuringTheRunIsNeverWrittenThrough() throws Exception {
        Path outside = java.nio.file.Files.createDirectories(dir.resolve("outside"));
        java.util.concurrent.atomic.AtomicBoolean planted = new java.util.concurrent.atomic.AtomicBoolean();
        api.faults.add(request -> {
            if (request.path().contains("/files/") && !planted.getAndSet(true)) {
                Path files = api.filesFolder(backup);
                Files.deleteIfExists(files);
                Files.createSymbolicLink(files, outside);
            }
            return java.util.Optional.empty();
        });

        BackupRunner.Result result = api.backup(backup);

        assertTrue(planted.get());
        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains(api.filesFolder(backup) + ": a symbolic link where claude-backup expects a real folder"),
                result.stderr());
        assertEquals(List.of(), Files.list(outside).toList(), "nothing written through the link");
    }
}
