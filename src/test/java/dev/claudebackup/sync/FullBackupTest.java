package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/** A first, full backup through the real routes against the loopback API: the layout and the contents. */
class FullBackupTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;

    @BeforeEach
    void startApi() throws Exception {
        account = FakeClaudeApi.demoAccount();
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void savesEveryChatOfEveryOrganizationWithChatsExactlyAsTheApiAnswered() throws Exception {
        Path backup = dir.resolve("backup");
        BackupRunner.Result result = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertArrayEquals(account.accountJson(), Files.readAllBytes(backup.resolve("account.json")));
        int chats = 0;
        for (SampleAccount.Organization organization : account.organizations()) {
            Path folder = backup.resolve("organizations").resolve(ChatFileNamer.slug(organization.name(), organization.uuid()));
            if (!organization.capabilities().contains("chat")) {
                assertFalse(Files.exists(folder), "an organization without chats gets no folder");
                assertTrue(result.stderr().contains("Skipping organization " + organization.name() + " (" + organization.uuid()
                        + ") without \"chat\" capability"), result.stderr());
                continue;
            }
            assertTrue(result.stderr().contains("Fetching chats for organization " + organization.name() + " (" + organization.uuid() + ")"));
            for (SampleAccount.Chat chat : account.chatList(organization.uuid())) {
                Path file = folder.resolve("chat_conversations").resolve(ChatFileNamer.jsonFileName(chat.name(), chat.uuid()));
                assertArrayEquals(chat.json(), Files.readAllBytes(file), "the chat as the API answered: " + file);
                assertEquals(Instant.parse(chat.updatedAt()).toEpochMilli(), Files.getLastModifiedTime(file).toMillis(),
                        "modification time is updated_at");
                chats++;
            }
            JsonNode list = MAPPER.readTree(folder.resolve("chat_conversations.json").toFile());
            assertEquals(account.chatList(organization.uuid()).size(), list.size());
            assertEquals(account.chatList(organization.uuid()).get(0).uuid(), list.get(0).path("uuid").asText());
        }
        assertEquals(chats, BackupTree.chatFiles(backup).size(), "no other chat files");
        List<FakeClaudeApi.Request> chatRequests = api.requests().stream()
                .filter(r -> r.path().matches(".*/chat_conversations/[^/]+")).toList();
        assertEquals(chats, chatRequests.size(), "one request per chat");
        chatRequests.forEach(r -> assertEquals(Map.of("tree", "True", "rendering_mode", "messages", "render_all_tools", "true"),
                r.query(), "every branch is asked for"));
        assertEquals(chats, result.stdoutLines().size(), result.stdout());
    }

    @Test
    void stdoutHasOneLinePerChatSavedUuidTabName() throws Exception {
        BackupRunner.Result result = BackupRunner.backup(api, dir.resolve("backup"));

        Set<String> expected = new HashSet<>();
        for (SampleAccount.Organization organization : account.organizations()) {
            if (organization.capabilities().contains("chat")) {
                account.chatList(organization.uuid()).forEach(chat ->
                        expected.add(chat.uuid() + "\t" + chat.name().replaceAll("[\\t\\r\\n]", " ").replaceAll("\\p{Cntrl}", "?")));
            }
        }
        assertEquals(expected, new HashSet<>(result.stdoutLines()));
        assertFalse(result.stdout().contains("Fetching"), "messages go to stderr only");
    }

    @Test
    void oddNamesStayInsideTheirFolderAndFitIn255Bytes() throws Exception {
        Path backup = dir.resolve("backup");
        BackupRunner.backup(api, backup);

        for (String path : BackupTree.chatFiles(backup).keySet()) {
            String name = Path.of(path).getFileName().toString();
            assertTrue(name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255, name);
            assertFalse(name.matches(".*[<>:\"|?*\\\\\\p{Cntrl} ].*"), "no unsafe character in " + name);
            assertTrue(path.matches("organizations/[^/]+/chat_conversations/[^/]+\\.json"), path);
        }
        assertFalse(Files.exists(dir.resolve("etc")), "../ in a name never leaves the folder");
    }

    @Test
    void nothingButTheLayoutAndTheStateIsWritten() throws Exception {
        Path backup = dir.resolve("backup");
        BackupRunner.backup(api, backup);

        try (var entries = Files.list(backup)) {
            assertEquals(Set.of(".claude-backup", "account.json", "organizations", "readable"),
                    new HashSet<>(entries.map(p -> p.getFileName().toString()).toList()));
        }
        Map<String, byte[]> files = BackupTree.files(backup);
        assertTrue(files.keySet().stream().noneMatch(p -> p.contains(".part-")), "no temporary file is left");
        List<String> organizations = Files.list(backup.resolve("organizations")).map(p -> p.getFileName().toString()).sorted().toList();
        assertEquals(2, organizations.size(), organizations.toString());
    }

    @Test
    void anEntryWhoseUuidIsNotCanonicalIsReportedAndSkippedAndTheRestAreSaved() throws Exception {
        SampleAccount.Organization personal = account.organizations().get(0);
        account.putRawChat(personal.uuid(), "../../../../tmp/evil", "Evil", "{\"uuid\":\"../../../../tmp/evil\"}".getBytes());
        Path backup = dir.resolve("backup");

        BackupRunner.Result result = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains("no canonical uuid"), result.stderr());
        assertTrue(BackupTree.files(dir).keySet().stream().noneMatch(p -> p.contains("evil")), "nothing written for it");
        assertTrue(api.requests().stream().noneMatch(r -> r.path().contains("evil")), "never requested");
        assertEquals(9, result.stdoutLines().size(), "the other chats were saved");
    }
}
