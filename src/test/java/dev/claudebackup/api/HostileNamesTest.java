package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * Names and uuids come from claude.ai, so they are untrusted: none may make the tool write, rename or
 * delete outside the backup folder. A canary folder next to the backup must stay exactly as it was.
 */
class HostileNamesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> HOSTILE_NAMES = List.of("../../../outside/evil", "/etc/passwd", "..", ".", "a/../../b",
            "..\\..\\outside\\win", "C:\\Windows\\evil", "nul\u0000byte", "~/.ssh/authorized_keys", ".claude-backup/state.db",
            ".part-sneaky");
    private static final List<String> HOSTILE_UUIDS = List.of("../../../outside/evil", "/tmp/evil",
            "00000000-0000-0000-0000-000000000000/../../x", "..", "", "00000000-0000-4000-8000-00000000000G");

    @TempDir
    Path dir;
    ApiFixture fixture;
    Path backup;
    Path outside;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(1);
        backup = dir.resolve("backup");
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "canary");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void hostileNamesStayInsideTheBackupFolderAndHostileUuidsAreRefused() throws Exception {
        SampleAccount.Organization evil = fixture.account.addOrganization("../../outside/org", "chat");
        for (String name : HOSTILE_NAMES) {
            fixture.account.addChat(fixture.organization.uuid(), name, 1, false);
            fixture.account.addChat(evil.uuid(), name, 1, false);
            fixture.account.addProject(evil.uuid(), name, "instructions of " + name);
        }
        for (String uuid : HOSTILE_UUIDS) {
            fixture.account.putRawChat(fixture.organization.uuid(), uuid, "bad uuid " + uuid,
                    "{\"uuid\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        }
        withAnOrganizationOfHostileUuid();
        Map<String, String> outsideBefore = snapshot(dir, backup);

        BackupRunner.Result result = fixture.backup(backup);

        assertEquals(ExitStatus.SOME_FAILED, result.status(), "the bad uuids are failures: " + result);
        for (String uuid : HOSTILE_UUIDS) {
            assertEquals(0, fixture.api.requests().stream().filter(r -> r.path().endsWith("/" + uuid) && !uuid.isEmpty()).count(),
                    "never fetched: " + uuid);
        }
        assertTrue(result.stderr().contains("Skipping a chat"), result.stderr());
        assertTrue(result.stderr().contains("Skipping an organization"), result.stderr());
        assertEquals(2 * HOSTILE_NAMES.size() + 1, result.stdoutLines().size(), "every chat with a canonical uuid saved: " + result);
        assertEquals(outsideBefore, snapshot(dir, backup), "nothing outside the backup folder changed");
        assertLayout();

        // renamed to other hostile names: the old files go, the new ones stay inside
        for (SampleAccount.Chat chat : fixture.account.chatList(evil.uuid())) {
            fixture.account.renameChat(evil.uuid(), chat.uuid(), "../" + chat.name() + "/..");
        }
        fixture.account.renameOrganization(evil.uuid(), "../../../outside");
        BackupRunner.Result renamed = fixture.backup(backup, "--ignore-cache");

        assertEquals(outsideBefore, snapshot(dir, backup), "nothing outside the backup folder changed: " + renamed);
        assertLayout();
    }

    /** Every run deletes temporary files (".part-…") a killed run left: a chat may not be named like one. */
    @Test
    void aChatNamedLikeATemporaryFileIsNotDeletedByTheNextRun() throws Exception {
        SampleAccount.Chat chat = fixture.account.addChat(fixture.organization.uuid(), ".part-sneaky", 1, false);
        assertEquals(ExitStatus.OK, fixture.backup(backup).status());
        Path file;
        try (Stream<Path> paths = Files.walk(backup)) {
            file = paths.filter(path -> path.getFileName().toString().endsWith(chat.uuid() + ".json")).findFirst().orElseThrow();
        }

        BackupRunner.Result next = fixture.backup(backup);

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertTrue(Files.exists(file), "still there: " + file);
        assertFalse(file.getFileName().toString().startsWith("."), file.toString());
    }

    /** Every file is where the layout puts it, and only there. */
    private void assertLayout() throws Exception {
        try (Stream<Path> paths = Files.walk(backup)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String relative = backup.relativize(path).toString();
                if (Files.isRegularFile(path) && !relative.startsWith(".claude-backup/")) {
                    assertTrue(relative.equals("account.json")
                            || relative.matches("organizations/[^/]+-[0-9a-f-]{36}/chat_conversations\\.json")
                            || relative.matches("organizations/[^/]+-[0-9a-f-]{36}/chat_conversations/[^/]*[0-9a-f-]{36}\\.json")
                            || relative.matches("organizations/[^/]+-[0-9a-f-]{36}/(projects|memory|styles)\\.json")
                            || relative.matches("organizations/[^/]+-[0-9a-f-]{36}/projects/[^/]*[0-9a-f-]{36}/(project|docs|files|memory)\\.json")
                            || relative.matches("readable/(index\\.html|index-data\\.js|index-rows\\.json|index-stamp\\.txt|assets/[a-z]+\\.(js|css))")
                            || relative.matches("readable/[^/]+-[0-9a-f-]{36}/[^/]*[0-9a-f-]{36}\\.(html|md)")
                            || relative.matches("readable/[^/]+-[0-9a-f-]{36}/projects/[^/]*[0-9a-f-]{36}/.*"), relative);
                    assertFalse(Path.of(relative).getFileName().toString().startsWith("."), relative);
                }
            }
        }
    }

    /** The account answer gains an organization whose uuid is a path. */
    private void withAnOrganizationOfHostileUuid() {
        fixture.api.intercept(request -> {
            if (!ApiFixture.accountRequest().test(request)) {
                return Optional.empty();
            }
            ObjectNode account = (ObjectNode) MAPPER.readTree(fixture.account.accountJson());
            ObjectNode organization = account.withArray("memberships").addObject().putObject("organization");
            organization.put("uuid", "../../outside");
            organization.put("name", "Escape");
            organization.putArray("capabilities").add("chat");
            return Optional.of(new Response(200, Map.of("Content-Type", "application/json"), MAPPER.writeValueAsBytes(account)));
        });
    }

    /** Every path under {@code root} but those under {@code except}, with its content or "folder". */
    private static Map<String, String> snapshot(Path root, Path except) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (!path.startsWith(except)) {
                    files.put(root.relativize(path).toString(), Files.isDirectory(path) ? "folder" : Files.readString(path));
                }
            }
        }
        return files;
    }
}
