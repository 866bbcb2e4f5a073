package dev.claudebackup.readable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.claudebackup.cli.Shutdown;
import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.Poll;

/**
 * The readable copy kept by backup runs, through the real command and routes against the loopback
 * API: every chat rendered after a full run, only what changed after the next, nothing at all (not
 * even read) after a run that saved nothing, nothing with --no-readable, and a chat that cannot be rendered reported without costing its JSON.
 */
class ReadableBackupTest {

    static final FileTime LONG_AGO = FileTime.fromMillis(1_000_000_000_000L);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    SampleAccount account;
    FakeClaudeApi api;
    Path backup;
    String personal;

    @BeforeEach
    void start() throws IOException {
        account = new SampleAccount();
        personal = account.addOrganization("Personal", "chat").uuid();
        String team = account.addOrganization("Team", "chat").uuid();
        for (int i = 0; i < 4; i++) {
            account.addChat(personal, "Personal chat " + i, 2, i == 0);
        }
        account.addChat(team, "Team chat", 1, true);
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        backup = dir.resolve("backup");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    Path readable() {
        return backup.resolve("readable");
    }

    Path page(String organization, String chat, String extension) {
        SampleAccount.Organization org = account.organization(organization);
        SampleAccount.Chat found = account.chat(organization, chat);
        return readable().resolve(ChatFileNamer.slug(org.name(), org.uuid())).resolve(ChatFileNamer.slug(found.name(), found.uuid()) + extension);
    }

    /** Every page and Markdown file, with its modification time. */
    Map<Path, FileTime> renderedFiles() throws IOException {
        Map<Path, FileTime> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(readable())) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".html") || p.toString().endsWith(".md")).toList()) {
                files.put(path, Files.getLastModifiedTime(path));
            }
        }
        return files;
    }

    @Test
    void aRunRendersEveryChatAndTheNextOnlyWhatChanged() throws IOException {
        BackupRunner.Result first = BackupRunner.backup(api, backup);
        assertEquals(ExitStatus.OK, first.status(), first.toString());
        String index = Files.readString(readable().resolve("index-data.js"));
        for (SampleAccount.Organization organization : account.organizations()) {
            for (SampleAccount.Chat chat : account.chatList(organization.uuid())) {
                assertTrue(Files.isRegularFile(page(organization.uuid(), chat.uuid(), ".html")), chat.name());
                assertTrue(Files.readString(page(organization.uuid(), chat.uuid(), ".md")).contains("Question 1 about " + chat.name()));
                assertTrue(index.contains(chat.uuid()), "the index lists " + chat.name());
            }
        }
        assertEquals(11, renderedFiles().size(), "5 chats as .html and .md, and index.html");

        for (Path file : renderedFiles().keySet()) {
            Files.setLastModifiedTime(file, LONG_AGO);
        }
        String changed = account.chatList(personal).get(2).uuid();
        String renamed = account.chatList(personal).get(3).uuid();
        Path oldName = page(personal, renamed, ".html");
        account.updateChat(personal, changed);
        account.renameChat(personal, renamed, "A new name");

        BackupRunner.Result second = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        List<Path> rewritten = renderedFiles().entrySet().stream().filter(entry -> !entry.getValue().equals(LONG_AGO))
                .map(Map.Entry::getKey).sorted().toList();
        assertEquals(List.of(page(personal, renamed, ".html"), page(personal, renamed, ".md"),
                        page(personal, changed, ".html"), page(personal, changed, ".md")).stream().sorted().toList(),
                rewritten, "only the chats that changed");
        assertFalse(Files.exists(oldName), "a renamed chat's old page goes");
        assertTrue(Files.readString(page(personal, changed, ".md")).contains("Question 3 about"), "the new message is in");
        assertTrue(Files.readString(readable().resolve("index-data.js")).contains("A new name"));
    }

    @Test
    void aRunThatSavedNothingReadsAndWritesNothingOfItAndADeletedPageComesBack() throws IOException {
        assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());
        Map<Path, FileTime> before = everyFile();
        // the rows the index is made of, spoiled behind its back (same size, same time): read, they would be rebuilt
        Path rows = readable().resolve(ChatIndex.ROWS_FILE);
        FileTime rowsTime = Files.getLastModifiedTime(rows);
        byte[] spoiled = new byte[(int) Files.size(rows)];
        java.util.Arrays.fill(spoiled, (byte) ' ');
        Files.write(rows, spoiled);
        Files.setLastModifiedTime(rows, rowsTime);

        BackupRunner.Result nothingNew = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.OK, nothingNew.status(), nothingNew.toString());
        assertEquals(before, everyFile(), "nothing of readable/ written again");
        assertTrue(java.util.Arrays.equals(spoiled, Files.readAllBytes(rows)), "nor the index's rows even read");

        String chat = account.chatList(personal).get(1).uuid();
        Path page = page(personal, chat, ".html");
        Files.delete(page);
        assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());
        assertTrue(Files.readString(page).contains(account.chat(personal, chat).name()), "a page deleted by hand is rendered again");

        deleteAll(readable());
        assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());
        assertEquals(11, renderedFiles().size(), "a deleted readable/ is rebuilt");
    }

    @Test
    void aChatThatCannotBeRenderedCountsInWhatTheRunFinishedListenersAreTold() throws IOException {
        String broken = account.chatList(personal).get(0).uuid();
        Files.createDirectories(page(personal, broken, ".html")); // a folder where its page would go: the write fails
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Path told = dir.resolve("told");
        Files.writeString(routes.resolve("status.camel.yaml"), """
                - route:
                    id: status-probe
                    from:
                      uri: "{{events.run-finished}}"
                      steps:
                        - setBody:
                            simple: "${header.ClaudeBackupStatus}"
                        - to: "file:%s?fileName=status.txt"
                """.formatted(told));

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--routes", routes.toString());

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals("SOME_FAILED", Files.readString(told.resolve("status.txt")).strip(), "an email or a commit is told of it");
        assertTrue(result.stderr().contains("Backup incomplete:"), "the summary too: " + result.stderr());
    }

    @Test
    void aStoppedRunLeavesTheRenderingToTheNext() throws Exception {
        for (int i = 0; i < 30; i++) {
            account.addChat(personal, "Many chat " + i, 2, false);
        }
        api.latency(100);
        Shutdown shutdown = new Shutdown();
        CompletableFuture<BackupRunner.Result> running = CompletableFuture.supplyAsync(() -> BackupRunner.run(shutdown,
                BackupRunner.environment(), "--base-url", api.baseUrl(), "--success-delay", "0", "--connections", "2", backup.toString()));
        Poll.until(Duration.ofSeconds(20), () -> api.requests().stream().filter(r -> r.path().contains("/chat_conversations/")).count() >= 4,
                () -> "4 chats requested");
        shutdown.request();
        BackupRunner.Result stopped = running.get(30, TimeUnit.SECONDS);

        assertTrue(stopped.stderr().contains("The readable copy of the chats saved is made at the end of the next run"), stopped.stderr());
        assertEquals(0, chatPages(), "the stop waits for no rendering");

        api.latency(0);
        assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());
        assertEquals(2 * 35, chatPages(), "every chat rendered at the next run's end, those the stopped run saved among them");
    }

    @Test
    void theChatsSavedAreRenderedWhileTheRunWaitsOnTheNetwork() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "rendered ahead while a core is idle: one core is another case");
        SampleAccount.Project project = account.addProject(personal, "Garden plans", "Plan the garden");
        int many = 3 * RenderAhead.BATCH;
        for (int i = 0; i < many; i++) {
            account.addChat(personal, "Many chat " + i, 1, false);
        }
        String inProject = account.chatList(personal).get(many - 1).uuid();
        moveToProject(personal, inProject, project.uuid()); // now the newest: in the first batch, saved before its project
        String broken = account.chatList(personal).get(1).uuid(); // the first batch too
        Files.createDirectories(page(personal, broken, ".html")); // a folder where its page would go: the write fails
        int chats = many + 5;
        api.latency(100); // the cores wait on the network: the rendering goes on meanwhile
        CompletableFuture<BackupRunner.Result> running = CompletableFuture.supplyAsync(() -> BackupRunner.backup(api, backup, "--connections", "6"));

        Poll.until(Duration.ofSeconds(60), () -> pagesNow(personal) > 0 || running.isDone(), () -> "a page written");
        long fetchedThen = api.requests().stream().filter(r -> r.path().contains("/chat_conversations/")).count();
        BackupRunner.Result result = running.get(60, TimeUnit.SECONDS);

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(1, result.stderr().lines().filter(line -> line.contains("Could not render") && line.contains(broken)).count(),
                "the chat whose rendering failed ahead is reported once, by the run's end: " + result.stderr());
        assertTrue(fetchedThen < chats, "pages were written while chats were still being fetched: " + fetchedThen + " of " + chats);
        assertEquals(List.of(), stagingFolders(), "no staging folder left");
        for (SampleAccount.Chat chat : account.chatList(personal)) {
            assertEquals(!chat.uuid().equals(broken), Files.isRegularFile(page(personal, chat.uuid(), ".html")), chat.name());
        }
        assertTrue(Files.readString(page(personal, inProject, ".md")).contains("- Project: Garden plans"),
                "a chat rendered before its project was saved shows the project");
    }

    @Test
    void aStopWhileChatsAreRenderedAheadLeavesNoHalfMadeFileAndTheNextRunTheRest() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "rendered ahead while a core is idle: one core is another case");
        int many = 3 * RenderAhead.BATCH;
        for (int i = 0; i < many; i++) {
            account.addChat(personal, "Many chat " + i, 1, false);
        }
        api.latency(100);
        Shutdown shutdown = new Shutdown();
        CompletableFuture<BackupRunner.Result> running = CompletableFuture.supplyAsync(() -> BackupRunner.run(shutdown,
                BackupRunner.environment(), "--base-url", api.baseUrl(), "--success-delay", "0", "--connections", "6", backup.toString()));
        Poll.until(Duration.ofSeconds(60), () -> pagesNow(personal) > 0 || running.isDone(), () -> "a page rendered ahead");
        boolean inPlaceThen = Files.exists(orgFolder(personal));
        shutdown.request();
        BackupRunner.Result stopped = running.get(30, TimeUnit.SECONDS);

        assertTrue(stopped.stderr().contains("The readable copy of the chats saved is made at the end of the next run"), stopped.stderr());
        try (Stream<Path> left = Files.walk(readable())) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)).toList(),
                    "the stop waited for the chat at hand");
        }
        assertFalse(inPlaceThen, "the organization's first copy is made out of sight while the run goes on");
        assertTrue(chatPages() > 0 && chatPages() < 2L * (many + 5), "some rendered ahead, not all, and in place: " + chatPages());
        assertEquals(List.of(), stagingFolders(), "what was rendered ahead is put in place at the stop");

        api.latency(0);
        assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());
        assertEquals(2L * (many + 5), chatPages(), "the next run renders the rest");
    }

    @Test
    void aRenamedProjectShowsOnThePagesOfItsChatsAndOnlyThose() throws IOException {
        SampleAccount.Project project = account.addProject(personal, "Garden plans", "Plan the garden");
        String chat = account.chatList(personal).get(1).uuid();
        moveToProject(personal, chat, project.uuid());
        assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());
        assertTrue(Files.readString(page(personal, chat, ".md")).contains("- Project: Garden plans"));
        for (Path file : renderedFiles().keySet()) {
            Files.setLastModifiedTime(file, LONG_AGO);
        }

        account.renameProject(personal, project.uuid(), "Allotment");
        BackupRunner.Result second = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertTrue(Files.readString(page(personal, chat, ".md")).contains("- Project: Allotment"), "the chat itself did not change");
        assertTrue(Files.readString(page(personal, chat, ".html")).contains("Allotment"));
        List<Path> rewritten = renderedFiles().entrySet().stream()
                .filter(entry -> !entry.getValue().equals(LONG_AGO) && entry.getKey().getParent().getParent().equals(readable()))
                .map(Map.Entry::getKey).sorted().toList();
        assertEquals(List.of(page(personal, chat, ".html"), page(personal, chat, ".md")).stream().sorted().toList(), rewritten,
                "only the pages of the project's chat");
    }

    /** The chat as claude.ai would give it once moved into the project (its updated_at moves). */
    private void moveToProject(String organization, String chatUuid, String projectUuid) throws IOException {
        SampleAccount.Chat chat = account.chat(organization, chatUuid);
        ObjectNode json = (ObjectNode) JSON.readTree(chat.json());
        json.put("project_uuid", projectUuid);
        account.putRawChat(organization, chatUuid, chat.name(), JSON.writeValueAsBytes(json));
    }

    /**
     * The chat pages made so far of this organization (the only one rendered), in its folder or, while its
     * first copy is made, in the staging folder beside it; counted from listings alone (files come and go).
     */
    private long pagesNow(String organization) {
        return htmlIn(orgFolder(organization)) + stagingFolders().stream().mapToLong(ReadableBackupTest::htmlIn).sum();
    }

    private Path orgFolder(String organization) {
        SampleAccount.Organization org = account.organization(organization);
        return readable().resolve(ChatFileNamer.slug(org.name(), org.uuid()));
    }

    private List<Path> stagingFolders() {
        if (!Files.isDirectory(readable())) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(readable())) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX) && Files.isDirectory(entry))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long htmlIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(entry -> entry.getFileName().toString().endsWith(".html")).count();
        } catch (IOException | UncheckedIOException gone) {
            return 0; // renamed into place meanwhile
        }
    }

    @Test
    void withTheIndexRowsLostEveryChatIsWrittenAgainTheSame() throws IOException {
        assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());
        Map<Path, String> before = new HashMap<>();
        for (Path file : renderedFiles().keySet()) {
            before.put(file, Files.readString(file));
            Files.setLastModifiedTime(file, LONG_AGO);
        }
        // no row says a chat was rendered: its files are taken for new and written without a look first
        Files.delete(readable().resolve(ChatIndex.ROWS_FILE));
        Files.delete(readable().resolve(IndexStamp.FILE));

        assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status());

        Map<Path, String> after = new HashMap<>();
        for (Path file : renderedFiles().keySet()) {
            after.put(file, Files.readString(file));
        }
        assertEquals(before, after, "every page and Markdown file whole and as before");
        assertEquals(List.of(), renderedFiles().entrySet().stream()
                        .filter(e -> e.getKey().getParent().getParent().equals(readable()) && e.getValue().equals(LONG_AGO)).toList(),
                "each chat's page and Markdown file written again, not compared first");
        assertTrue(Files.isRegularFile(readable().resolve(ChatIndex.ROWS_FILE)), "the rows are written again");
        try (Stream<Path> left = Files.walk(readable())) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)).toList(), "no temporary file left");
        }
    }

    /** The chats' pages and Markdown files (none when there is no readable/). */
    private long chatPages() throws IOException {
        if (!Files.isDirectory(readable())) {
            return 0;
        }
        return renderedFiles().keySet().stream().filter(file -> file.getParent().getParent().equals(readable())).count();
    }

    /** Every file in readable/, with its modification time. */
    private Map<Path, FileTime> everyFile() throws IOException {
        Map<Path, FileTime> files = new HashMap<>();
        try (Stream<Path> paths = Files.walk(readable())) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(path, Files.getLastModifiedTime(path));
            }
        }
        return files;
    }

    private static void deleteAll(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Test
    void noReadableWritesNoneAndTheNextRunCatchesUp() throws IOException {
        BackupRunner.Result off = BackupRunner.backup(api, backup, "--no-readable");
        assertEquals(ExitStatus.OK, off.status(), off.toString());
        assertFalse(Files.exists(readable()), "nothing rendered");

        BackupRunner.Result on = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.OK, on.status(), on.toString());
        assertEquals(11, renderedFiles().size(), "the chats saved while it was off are rendered at the end of the next run");
    }

    @Test
    void aChatThatCannotBeRenderedIsReportedAndKeepsItsJson() throws IOException {
        String broken = account.chatList(personal).get(0).uuid();
        Files.createDirectories(page(personal, broken, ".html")); // a folder where its page would go: the write fails

        BackupRunner.Result first = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.SOME_FAILED, first.status(), first.toString());
        assertTrue(first.stderr().contains("Could not render organizations/"), first.stderr());
        assertEquals(1, first.stderr().lines().filter(line -> line.contains("Could not render")).count(), "said once: " + first.stderr());
        String report = Files.readString(backup.resolve(".claude-backup").resolve("last-run.json"));
        assertTrue(report.contains("Could not render") && report.contains(broken), report);
        Path json = backup.resolve("organizations").resolve(ChatFileNamer.slug("Personal", personal)).resolve("chat_conversations")
                .resolve(ChatFileNamer.jsonFileName(account.chat(personal, broken).name(), broken));
        assertTrue(Files.isRegularFile(json), "the chat is saved all the same");
        assertTrue(Files.isRegularFile(readable().resolve("index.html")), "the rest is rendered");

        api.clearRequests();
        BackupRunner.backup(api, backup);
        assertTrue(api.requests().stream().noneMatch(request -> request.path().contains(broken)), "not fetched again");
    }
}
