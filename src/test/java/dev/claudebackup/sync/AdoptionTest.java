package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;

/**
 * Pointed at a folder the Python claude-backup (0.1.x) wrote, the first run goes on from it: only the
 * chats whose saved {@code updated_at} differs from claude.ai's are downloaded.
 */
class AdoptionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;
    LoopbackBackup backup;

    @BeforeEach
    void startApi() throws Exception {
        backup = LoopbackBackup.start(work, 3, 6, 3);
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    /** The Python tool's layout: version, account.json, and per organization its list and a file per chat. */
    private void writeAsThePythonToolDid() throws Exception {
        Files.createDirectories(backup.dir);
        Files.writeString(backup.dir.resolve("version"), "0.1.7\n");
        Files.write(backup.dir.resolve("account.json"), backup.account.accountJson());
        for (String organization : List.of(backup.main, backup.side)) {
            Files.createDirectories(backup.folder(organization).resolve("chat_conversations"));
            writeList(organization);
            for (SampleAccount.Chat chat : backup.account.chatList(organization)) {
                Files.write(backup.chatFile(organization, chat.uuid()), MAPPER.writeValueAsBytes(MAPPER.readTree(chat.json())));
            }
        }
    }

    private void writeList(String organization) throws Exception {
        ArrayNode list = MAPPER.createArrayNode();
        backup.account.chatList(organization).forEach(chat -> list.add(SampleAccount.listEntry(chat)));
        Files.write(backup.folder(organization).resolve("chat_conversations.json"), MAPPER.writeValueAsBytes(list));
    }

    @Test
    void theFirstRunFetchesOnlyTheChatsWhoseUpdatedAtDiffers() throws Exception {
        writeAsThePythonToolDid();
        String changed = backup.chatAt(backup.main, 3);
        backup.account.updateChat(backup.main, changed);
        // The Python tool saves the list before it fetches the chats: one it was killed before fetching
        // is listed at its new updated_at, while its file is still the old one.
        String listedButNotFetched = backup.chatAt(backup.main, 5);
        backup.account.updateChat(backup.main, listedButNotFetched);
        writeList(backup.main);
        String added = backup.account.addChat(backup.side, "Started after the Python run", 1, false).uuid();

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        ApiCalls calls = backup.calls();
        assertEquals(Set.of(changed, listedButNotFetched, added), new HashSet<>(calls.chats()));
        assertEquals(3, calls.chats().size());
        assertEquals(List.of("0+3", "2+4", "5+4"), calls.v1Lists(backup.main), "a first run reads the whole list");
        assertTrue(result.stderr().contains("Adopted 6 chats already saved in organizations/" + backup.folder(backup.main).getFileName()),
                result.stderr());
        backup.assertHoldsEveryChat();
        assertEquals("0.1.7\n", Files.readString(backup.dir.resolve("version")), "the Python tool's files are left as they are");

        backup.run();

        assertEquals(List.of("0+3"), backup.calls().v1Lists(backup.main), "from then on, incremental");
        assertEquals(List.of(), backup.calls().chats());
    }

    @Test
    void aChatFileThatIsNotWholeIsFetchedAgain() throws Exception {
        writeAsThePythonToolDid();
        String cutShort = backup.chatAt(backup.side, 1);
        String json = new String(backup.account.chat(backup.side, cutShort).json(), java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(backup.chatFile(backup.side, cutShort), json.substring(0, json.indexOf("chat_messages") + 20));

        backup.run();

        assertEquals(List.of(cutShort), backup.calls().chats(), "its updated_at was there, but not the rest");
        backup.assertHoldsEveryChat();
    }
}
