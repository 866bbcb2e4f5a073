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
        BackupRunner.Result result = run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertHoldsEveryProject();
        Path main = backup.folder(backup.main);
        assertArrayEquals(account.memoryJson(backup.main), Files.readAllBytes(main.resolve("memory.json")));
        assertArrayEquals(account.stylesJson(backup.main), Files.readAllBytes(main.resolve("styles.json")));
        assertEquals(Instant.parse("2025-03-01T00:00:00Z"), Files.getLastModifiedTime(main.resolve("memory.json")).toInstant(),
                "the memory's updated_at");
        assertEquals(Instant.parse("2025-03-01T00:00:00Z"),
                Files.getLastModifiedTime(projectFolder(garden).resolve("memory.json")).toInstant());
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

    @Test
    void anIdleRunCostsOneAccountRequestAndOneChatListPageAndOneProjectListPerOrganization() throws IOException {
        assertOk(run());
        assertEquals(1 + 4 + 5 + 2 + 4 + 4 + 2 + 2 + 1, requests().size(),
                "the first: account, 4 chat list pages, 5 chats, 2 project lists, 4 per project, 2 memories, 2 styles,"
                        + " and the one file a project's files list names (the files part)\n" + requests());

        BackupRunner.Result idle = run();

        assertEquals(ExitStatus.OK, idle.status(), idle.toString());
        assertEquals(1 + 2 * 2, requests().size(), "1 + 2 x organizations, no more\n" + requests());
        assertEquals(2, requests(path -> path.endsWith("/projects")).size());
        assertTrue(idle.stderr().contains("; projects: 0 new, 0 updated, 0 renamed, 2 unchanged, 0 failed"), idle.stderr());
        assertEquals(0, idle.stdoutLines().size());
    }

    @Test
    void exactlyTheChangedProjectsAreFetchedTheRenamedFolderMovesTheDeletedOneStays() throws IOException {
        SampleAccount.Project trip = account.addProject(backup.main, "Trip", "Plan the trip.");
        SampleAccount.Project old = account.addProject(backup.main, "Old", "Gone soon.");
        SampleAccount.Project quiet = account.addProject(backup.main, "Quiet", "Nothing changes here.");
        assertOk(run());
        Path oldFolder = projectFolder(old);
        Path tripFolder = projectFolder(trip);

        account.setInstructions(backup.main, garden.uuid(), "Plan my garden. Imperial units now.");
        account.addDoc(backup.main, taxes.uuid(), "receipts.csv", "date,amount\n2025-01-02,12.50", true);
        account.renameProject(backup.main, trip.uuid(), "Trip to Lisbon");
        account.deleteProject(backup.main, old.uuid());
        BackupRunner.Result result = run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        for (SampleAccount.Project changed : List.of(garden, taxes, trip)) {
            assertEquals(4, requests(path -> path.contains(changed.uuid())).size(), changed.name() + ": project, docs, files, memory\n" + requests());
        }
        assertEquals(0, requests(path -> path.contains(quiet.uuid())).size(), "the unchanged project costs nothing");
        assertEquals(1 + 2 * 2 + 3 * 4, requests().size(), requests().toString());
        assertHoldsEveryProject();
        assertEquals("Plan my garden. Imperial units now.",
                MAPPER.readTree(projectFolder(garden).resolve("project.json").toFile()).path("prompt_template").asText());
        assertEquals(1, MAPPER.readTree(projectFolder(taxes).resolve("docs.json").toFile()).size());
        assertFalse(Files.exists(tripFolder), "the old folder moved");
        assertTrue(Files.isRegularFile(projectFolder(trip).resolve("project.json")));
        assertTrue(result.stderr().contains("Renaming project " + tripFolder.getFileName() + " to " + projectFolder(trip).getFileName()),
                result.stderr());
        assertTrue(Files.isRegularFile(oldFolder.resolve("project.json")), "a project deleted on claude.ai is kept");
        assertTrue(result.stderr().contains("; projects: 0 new, 2 updated, 1 renamed, 1 unchanged, 0 failed"), result.stderr());
    }

    @Test
    void aDocAddedWithoutTheDateMovingIsPickedUpOnlyByARecheck() throws IOException {
        assertOk(run());
        account.addDoc(backup.main, garden.uuid(), "quiet.md", "added without moving updated_at", false);

        assertOk(run());
        assertEquals(1, MAPPER.readTree(projectFolder(garden).resolve("docs.json").toFile()).size(), "not due: not seen");
        assertEquals(1 + 2 * 2, requests().size());

        BackupRunner.Result recheck = run(java.util.Map.of("BACKUP_RECHECK_AFTER_HOURS", "0"));

        assertEquals(ExitStatus.OK, recheck.status(), recheck.toString());
        assertArrayEquals(account.projectDocsJson(backup.main, garden.uuid()), Files.readAllBytes(projectFolder(garden).resolve("docs.json")));
        assertEquals(0, requests(path -> path.endsWith("/projects/" + garden.uuid())).size(), "the project itself did not move");
        assertEquals(1 + 2 * 2 + 2 * 3 + 2 * 2, requests().size(), "docs, files, memory of each project; memory and styles\n" + requests());
        assertTrue(recheck.stderr().contains("; projects: 0 new, 1 updated, 0 renamed, 1 unchanged, 0 failed"), recheck.stderr());
        assertHoldsEveryProject();
    }

    /** On one connection too: a 404 gives its request slot back at once, or the run would wait for it forever. */
    @Test
    void memoryProjectMemoryStylesAndFilesAnswering404AreOffNotFailures() throws IOException {
        backup.api.intercept(request -> request.path().endsWith("/memory") || request.path().endsWith("/list_styles")
                || request.path().endsWith("/files") ? java.util.Optional.of(notFound()) : java.util.Optional.empty());

        BackupRunner.Result result = run("--retries", "3", "--connections", "1");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        Path main = backup.folder(backup.main);
        assertFalse(Files.exists(main.resolve("memory.json")));
        assertFalse(Files.exists(main.resolve("styles.json")));
        assertFalse(Files.exists(projectFolder(garden).resolve("memory.json")));
        assertFalse(Files.exists(projectFolder(garden).resolve("files.json")));
        assertTrue(Files.isRegularFile(projectFolder(garden).resolve("docs.json")));
        assertEquals(2 + 2, requests(path -> path.contains("/memory")).size(), "each asked once, never retried: " + requests());
        assertEquals(2, requests(path -> path.endsWith("/list_styles")).size());
        assertTrue(result.stderr().contains("answered 404: off there"), result.stderr());
        assertTrue(result.stderr().contains("; projects: 2 new, 0 updated, 0 renamed, 0 unchanged, 0 failed"), result.stderr());
    }

    @Test
    void aProjectAnswering500IsIsolatedReportedAndFetchedAgainNextRun() throws IOException {
        backup.api.intercept(request -> request.path().endsWith("/projects/" + garden.uuid() + "/docs")
                ? java.util.Optional.of(FakeClaudeApi.Response.json(500, "{\"type\":\"error\"}")) : java.util.Optional.empty());

        BackupRunner.Result failed = run("--retries", "2");

        assertEquals(ExitStatus.SOME_FAILED, failed.status(), failed.toString());
        assertEquals(3, requests(path -> path.endsWith(garden.uuid() + "/docs")).size(), "one request and 2 retries");
        assertFalse(Files.exists(projectFolder(garden).resolve("project.json")), "nothing of it written");
        assertTrue(Files.isRegularFile(projectFolder(taxes).resolve("docs.json")), "the other project is saved");
        assertTrue(failed.stderr().contains("Could not save project Kitchen garden (" + garden.uuid() + "): HTTP 500"), failed.stderr());
        assertTrue(failed.stderr().contains("; projects: 1 new, 0 updated, 0 renamed, 0 unchanged, 1 failed"), failed.stderr());
        assertTrue(failed.stderr().contains("Backup incomplete: 5 new, 0 updated, 0 renamed, 0 unchanged, 0 failed"), "the chats are fine");
        JsonNode failure = MAPPER.readTree(backup.dir.resolve(".claude-backup/last-run.json").toFile()).path("failures").path(0);
        assertEquals(garden.uuid(), failure.path("uuid").asText());
        assertEquals("Kitchen garden", failure.path("name").asText());
        assertTrue(failure.path("reason").asText().contains("500"), failure.toString());

        backup.api.clearInterceptors();
        BackupRunner.Result next = run();

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(4, requests(path -> path.contains(garden.uuid())).size(), "fetched again: " + requests());
        assertEquals(0, requests(path -> path.contains(taxes.uuid())).size());
        assertEquals(List.of("0+2"), dev.claudebackup.sync.ApiCalls.of(backup.api).v1Lists(backup.main),
                "the project's failure did not make the chat list be read in full");
        assertHoldsEveryProject();
    }

    @Test
    void aChatThatFailsNeverMakesTheNextRunFetchTheProjectsAgain() throws IOException {
        String chat = account.chatList(backup.main).get(0).uuid();
        backup.api.intercept(request -> request.path().endsWith("/chat_conversations/" + chat)
                ? java.util.Optional.of(FakeClaudeApi.Response.json(500, "{}")) : java.util.Optional.empty());
        BackupRunner.Result failed = run("--retries", "0");
        assertEquals(ExitStatus.SOME_FAILED, failed.status(), failed.toString());
        assertTrue(failed.stderr().contains("; projects: 2 new, 0 updated, 0 renamed, 0 unchanged, 0 failed"), failed.stderr());

        backup.api.clearInterceptors();
        BackupRunner.Result next = run();

        assertOk(next);
        assertEquals(0, requests(path -> path.contains("/projects/") || path.contains("/memory") || path.contains("/list_styles")).size(),
                requests().toString());
        assertHoldsEveryProject();
    }

    @Test
    void ignoreCacheRemovesADeletedProjectOnlyAfterACleanCompleteListing() throws IOException {
        assertOk(run());
        Path taxesFolder = projectFolder(taxes);
        account.deleteProject(backup.main, taxes.uuid());
        String chat = account.chatList(backup.side).get(0).uuid();
        backup.api.intercept(request -> request.path().endsWith("/chat_conversations/" + chat)
                ? java.util.Optional.of(FakeClaudeApi.Response.json(500, "{}")) : java.util.Optional.empty());

        BackupRunner.Result failing = run("--ignore-cache", "--retries", "0");

        assertEquals(ExitStatus.SOME_FAILED, failing.status(), failing.toString());
        assertTrue(Files.isRegularFile(taxesFolder.resolve("project.json")), "a run with a failure removes nothing");
        assertEquals(4, requests(path -> path.contains(garden.uuid())).size(), "--ignore-cache fetches everything");

        backup.api.clearInterceptors();
        BackupRunner.Result clean = run("--ignore-cache");

        assertEquals(ExitStatus.OK, clean.status(), clean.toString());
        assertFalse(Files.exists(taxesFolder), "removed after a clean, complete listing");
        assertTrue(clean.stderr().contains("project " + taxes.uuid() + " no longer exists on claude.ai"), clean.stderr());
        assertHoldsEveryProject();
    }

    @Test
    void aRefusedKeyOnTheProjectListStopsTheRun() throws IOException {
        backup.api.intercept(request -> request.path().endsWith("/projects") ? java.util.Optional.of(FakeClaudeApi.Response.json(401,
                "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Invalid authorization\"}}"))
                : java.util.Optional.empty());

        BackupRunner.Result result = run();

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertEquals(1, requests(path -> path.endsWith("/projects")).size(), "no retry, and the next organization not begun");
        assertEquals(0, requests(path -> path.contains("/projects/") || path.contains("/memory") || path.endsWith("/list_styles")).size());
    }

    private static void assertOk(BackupRunner.Result result) {
        assertEquals(ExitStatus.OK, result.status(), result.toString());
    }

    /** One run from a clean request log, with a page size of 2 (so a chat list read in full shows). */
    private BackupRunner.Result run(String... args) {
        return run(java.util.Map.of(), args);
    }

    private BackupRunner.Result run(java.util.Map<String, String> environment, String... args) {
        backup.api.clearRequests();
        java.util.Map<String, String> env = new java.util.HashMap<>(BackupRunner.environment());
        env.put("CLAUDE_API_PAGE_SIZE", "2");
        env.putAll(environment);
        List<String> all = new java.util.ArrayList<>(List.of("--base-url", backup.api.baseUrl(), "--success-delay", "0",
                "--min-retry-delay", "0.01", "--max-retry-delay", "0.05"));
        all.addAll(List.of(args));
        all.add(backup.dir.toString());
        return BackupRunner.run(env, all.toArray(String[]::new));
    }

    private List<String> requests() {
        return requests(path -> true);
    }

    private List<String> requests(java.util.function.Predicate<String> path) {
        return backup.api.requests().stream()
                .map(request -> request.path() + (request.query().isEmpty() ? "" : "?" + request.query()))
                .filter(path).toList();
    }

    private static FakeClaudeApi.Response notFound() {
        return FakeClaudeApi.Response.json(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found\"}}");
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
