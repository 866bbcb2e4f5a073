package dev.claudebackup.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.ChatRef;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.LoopbackBackup;
import dev.claudebackup.sync.Organization;
import dev.claudebackup.sync.OrganizationBackup;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * Issue 16, point 2: on a case-insensitive or normalizing file system (macOS's and Windows' defaults), a
 * chat renamed {@code Foo} to {@code foo} was written to the one file both names name, and then "the
 * old file" was deleted: the chat was gone. A hard link makes two names one file on Linux too.
 */
class SameFileRenameTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ORG = "6f1c9a4e-2b7d-4c1e-9a3f-0d5e8b7c6a21";
    private static final String CHAT = "0b0c7a52-3f0e-4f7e-8d64-1c2b3a4d5e6f";

    @TempDir
    Path dir;

    @Test
    void whenTheOldNameIsTheNewFileTheRenameNeverDeletesIt() throws Exception {
        BackupFolder backup = new BackupFolder(dir);
        backup.create();
        SavedChats saved = new SavedChats(backup, false);
        ChatFiles files = new ChatFiles(backup, saved, new Console(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), true));
        Organization organization = new Organization(ORG, "Org", true);
        String folder = "organizations/Org-" + ORG;
        Path chats = Files.createDirectories(dir.resolve(folder + "/chat_conversations"));
        Path oldName = chats.resolve("Foo-" + CHAT + ".json");
        Files.writeString(oldName, "{\"old\":true}");
        saved.record(ChatRef.of(organization, MAPPER.readTree("{\"uuid\":\"" + CHAT + "\",\"name\":\"Foo\",\"updated_at\":\"1\"}")),
                folder + "/chat_conversations/Foo-" + CHAT + ".json");

        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(ChatRef.PROPERTY, ChatRef.of(organization, MAPPER.readTree("{\"uuid\":\"" + CHAT + "\",\"name\":\"foo\",\"updated_at\":\"2\"}")));
        exchange.setProperty(OrganizationBackup.PROPERTY, new OrganizationBackup(organization, folder, Map.of(), null));
        BackupRun run = new BackupRun();
        exchange.setProperty(BackupRun.PROPERTY, run);
        exchange.getMessage().setBody("{\"new\":true}");
        files.target(exchange);
        backup.write(exchange);
        Path newName = chats.resolve("foo-" + CHAT + ".json");
        // as a case-insensitive file system shows it: both names are the file just written
        Files.delete(oldName);
        Files.createLink(oldName, newName);

        files.saved(exchange);

        assertEquals("{\"new\":true}", Files.readString(newName), "the chat is still there");
        assertTrue(Files.exists(oldName), "the old name was not deleted: on macOS it is the new file");
        assertEquals(1, run.count(organization.label(), BackupRun.Outcome.RENAMED));
        assertEquals(Optional.of(folder + "/chat_conversations/foo-" + CHAT + ".json"), saved.fileOf(CHAT));
        saved.close();
    }

    @Test
    void namesEqualAfterCaseFoldingAndNormalizationAreOneName() {
        assertTrue(FileNames.sameName("Foo-x.json", "foo-x.json"));
        assertTrue(FileNames.sameName("Caf\u00e9", "CAFE\u0301"), "NFC and NFD, upper and lower case");
        assertTrue(!FileNames.sameName("Foo", "Fob"));
    }

    @Test
    void aUuidListedInUpperCaseIsTheSameChat() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 3, 0)) {
            assertEquals(ExitStatus.OK, backup.run().status());
            backup.api.intercept(request -> {
                if (!request.path().endsWith("/" + backup.main + "/chat_conversations")) {
                    return Optional.empty();
                }
                ArrayNode rows = MAPPER.createArrayNode();
                for (SampleAccount.Chat chat : backup.account.chatList(backup.main)) {
                    rows.add(SampleAccount.listEntry(chat).put("uuid", chat.uuid().toUpperCase(Locale.ROOT)));
                }
                return Optional.of(new Response(200, Map.of("Content-Type", "application/json"), MAPPER.writeValueAsBytes(rows)));
            });

            BackupRunner.Result result = backup.run();

            assertEquals(ExitStatus.OK, result.status(), result.toString());
            assertEquals(List.of(), result.stdoutLines(), "nothing new: the same chats");
            assertEquals(3, BackupTree.chatFiles(backup.dir).size());
            backup.assertOneFilePerChat();
        }
    }
}
