package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;

/**
 * Runs after a finished one, through the real routes against the loopback API (page size P = 3): each
 * asks claude.ai about as many requests as there are changes, and ends holding every chat as it is now.
 */
class IncrementalSyncTest {

    private static final int P = 3;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;
    LoopbackBackup backup;

    @BeforeEach
    void firstRun() throws Exception {
        backup = LoopbackBackup.start(work, P, 10, 4);
        BackupRunner.Result first = backup.run();
        assertEquals(ExitStatus.OK, first.status(), first.toString());
        ApiCalls calls = backup.calls();
        assertEquals(List.of("0+3", "2+4", "5+4", "8+4"), calls.v1Lists(backup.main), "pages overlap by one entry");
        assertEquals(List.of("0+3", "2+4"), calls.v1Lists(backup.side));
        assertEquals(14, calls.chats().size());
        assertTrue(calls.chatsAskedWithEveryBranch(), "tree=True reaches claude.ai: " + calls);
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    @Test
    void kChatsAddedCostOneAccountRequestCeilOfKPlusOneOverPListRequestsAndKChatRequests() throws Exception {
        for (int k : new int[] {0, 1, 2, 3, 5, 8}) {
            List<String> added = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                added.add(backup.account.addChat(backup.main, "New chat " + k + "." + i, 1, false).uuid());
            }

            BackupRunner.Result result = backup.run();

            assertEquals(ExitStatus.OK, result.status(), result.toString());
            ApiCalls calls = backup.calls();
            int pages = (k + 1 + P - 1) / P;
            assertEquals(1, calls.account(), "k=" + k);
            assertEquals(List.of("0+3", "2+4", "5+4").subList(0, pages), calls.v1Lists(backup.main), "k=" + k);
            assertEquals(List.of("0+3"), calls.v1Lists(backup.side), "k=" + k + ": nothing new, one list request");
            assertEquals(new HashSet<>(added), new HashSet<>(calls.chats()), "k=" + k);
            assertEquals(k, calls.chats().size(), "k=" + k + ": each chat once");
            assertEquals(1 + pages + 1 + k + 2, calls.total(), "k=" + k + ": and two project lists, nothing else\n" + calls);
            assertEquals(added.size(), result.stdoutLines().size(), result.stdout());
            backup.assertHoldsEveryChat();
        }
        // The saved list is the whole list again, though each run read only its front.
        JsonNode list = MAPPER.readTree(backup.folder(backup.main).resolve("chat_conversations.json").toFile());
        assertEquals(10 + 19, list.size());
        assertEquals(backup.chatAt(backup.main, 0), list.get(0).path("uuid").asText());
    }

    @Test
    void aRunWithNothingNewLeavesTheSavedListAsItIsAndAChangeWritesItAgain() throws Exception {
        Path list = backup.folder(backup.main).resolve("chat_conversations.json");
        Object before = Files.readAttributes(list, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        byte[] saved = Files.readAllBytes(list);

        BackupRunner.Result idle = backup.run();

        assertEquals(ExitStatus.OK, idle.status(), idle.toString());
        assertEquals(before, Files.readAttributes(list, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "not written again: the same file (a write replaces it by a new one)");
        assertArrayEquals(saved, Files.readAllBytes(list));

        String updated = backup.chatAt(backup.main, 5);
        backup.account.updateChat(backup.main, updated);
        BackupRunner.Result changed = backup.run();

        assertEquals(ExitStatus.OK, changed.status(), changed.toString());
        JsonNode entries = MAPPER.readTree(list.toFile());
        assertEquals(updated, entries.get(0).path("uuid").asText(), "the updated chat is first in the list written again");
        assertEquals(MAPPER.readTree(saved).size(), entries.size(), "and the list is whole");
    }

    @Test
    void updatesAndRenamesAreFetchedABranchSwitchIsNotAndADeletedChatIsKept() throws Exception {
        String updated = backup.chatAt(backup.main, 5);
        String renamed = backup.chatAt(backup.main, 8);
        String switched = backup.chatAt(backup.main, 9); // "Main chat 0": branched
        String deleted = backup.chatAt(backup.side, 1);
        Path oldName = backup.chatFile(backup.main, renamed);
        Path switchedFile = backup.chatFile(backup.main, switched);
        byte[] beforeSwitch = Files.readAllBytes(switchedFile);
        Path deletedFile = backup.chatFile(backup.side, deleted);
        backup.account.updateChat(backup.main, updated);
        backup.account.renameChat(backup.main, renamed, "A better name");
        SampleAccount.Chat afterSwitch = backup.account.switchBranch(backup.main, switched);
        backup.account.deleteChat(backup.side, deleted);

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        ApiCalls calls = backup.calls();
        assertEquals(Set.of(updated, renamed), new HashSet<>(calls.chats()));
        assertEquals(2, calls.chats().size());
        assertEquals(List.of("0+3"), calls.v1Lists(backup.main), "both changes are at the front");
        assertEquals(List.of("0+3"), calls.v1Lists(backup.side), "a deletion changes nothing at the front");

        // The rename: the new name, and the old file gone in the same run.
        Path newName = backup.chatFile(backup.main, renamed);
        assertTrue(newName.getFileName().toString().startsWith("A_better_name-"), newName.toString());
        assertFalse(Files.exists(oldName), "the old name is removed");
        assertTrue(result.stderr().contains("Renaming chat " + oldName.getFileName() + " to " + newName.getFileName()), result.stderr());

        // The branch switch: not a change (same updated_at); the file already holds every branch.
        assertArrayEquals(beforeSwitch, Files.readAllBytes(switchedFile));
        assertEquals(messages(afterSwitch.json()), messages(Files.readAllBytes(switchedFile)), "every branch is in the file");

        // The deletion: it is a backup, the file stays.
        assertTrue(Files.exists(deletedFile));
        assertFalse(result.stderr().contains("Removing"), result.stderr());
        backup.assertOneFilePerChat();
        for (String chat : List.of(updated, renamed)) {
            assertArrayEquals(backup.account.chat(backup.main, chat).json(), Files.readAllBytes(backup.chatFile(backup.main, chat)));
        }
    }

    @Test
    void aRenamedOrganizationHasItsFolderRenamedWithItsContents() throws Exception {
        Path oldFolder = backup.folder(backup.main);
        String changed = backup.chatAt(backup.main, 4);
        backup.account.renameOrganization(backup.main, "Main, renamed");
        backup.account.updateChat(backup.main, changed);

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(result.stderr().contains("Renaming organization Main to Main, renamed (" + backup.main + ")"), result.stderr());
        assertFalse(Files.exists(oldFolder));
        assertEquals(List.of(changed), backup.calls().chats(), "only the changed chat: the others moved with the folder");
        backup.assertHoldsEveryChat();
        assertTrue(Files.isRegularFile(backup.folder(backup.main).resolve("chat_conversations.json")));

        BackupRunner.Result next = backup.run();
        assertEquals(List.of("0+3"), backup.calls().v1Lists(backup.main), "still finished: the next run stops early");
        assertEquals(List.of(), backup.calls().chats(), next.toString());
    }

    @Test
    void aChatWhoseFileWasDeletedByHandIsFetchedAgainOnceItsEntryIsRead() throws Exception {
        String chat = backup.chatAt(backup.side, 0);
        Files.delete(backup.chatFile(backup.side, chat));

        BackupRunner.Result result = backup.run();

        assertEquals(List.of(chat), backup.calls().chats(), result.toString());
        backup.assertHoldsEveryChat();
    }

    private static int messages(byte[] json) throws Exception {
        return MAPPER.readTree(json).path("chat_messages").size();
    }
}
