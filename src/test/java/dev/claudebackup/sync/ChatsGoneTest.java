package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;

/** A chat gone from claude.ai (before the list, or between the list and its fetch), and a chat file gone from the disk. */
class ChatsGoneTest {

    @TempDir
    Path work;
    LoopbackBackup backup;

    @BeforeEach
    void backUp() throws Exception {
        backup = LoopbackBackup.start(work, 3, 6, 3);
        assertEquals(ExitStatus.OK, backup.run().status());
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    private JsonNode report() throws Exception {
        return new ObjectMapper().readTree(backup.dir.resolve(".claude-backup/last-run.json").toFile());
    }

    /**
     * Only a run that reads a whole list can tell a chat is gone: here the one after a run that failed
     * part way (an incremental run stops paging at the first chat it has).
     */
    @Test
    void aChatDeletedOnClaudeAiIsCountedAsDeletedUpstreamAndKept() throws Exception {
        String failing = backup.chatAt(backup.side, 0);
        backup.account.updateChat(backup.side, failing);
        backup.api.intercept(request -> request.path().endsWith("/chat_conversations/" + failing)
                ? Optional.of(FakeClaudeApi.Response.json(400, "{\"type\":\"error\"}")) : Optional.empty());
        assertEquals(ExitStatus.SOME_FAILED, backup.run().status());
        backup.api.clearInterceptors();
        String deleted = backup.chatAt(backup.side, 2);
        Path file = backup.chatFile(backup.side, deleted);
        byte[] saved = Files.readAllBytes(file);
        backup.account.deleteChat(backup.side, deleted);

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(result.stderr().contains(", 1 deleted upstream in "), result.stderr());
        assertEquals(1, report().path("totals").path("deleted_upstream").asInt(), report().toPrettyString());
        assertArrayEquals(saved, Files.readAllBytes(file), "kept: it is a backup");
    }

    @Test
    void aChatDeletedBetweenTheListAndItsFetchIsADeletionNotAFailure() throws Exception {
        String chat = backup.chatAt(backup.main, 2);
        Path file = backup.chatFile(backup.main, chat);
        byte[] saved = Files.readAllBytes(file);
        backup.account.updateChat(backup.main, chat);
        backup.api.intercept(request -> request.path().endsWith("/chat_conversations/" + chat)
                ? Optional.of(FakeClaudeApi.Response.json(404, "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\"}}"))
                : Optional.empty());

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), "cron mails no one about a chat they deleted\n" + result);
        assertTrue(result.stderr().contains("was deleted on claude.ai after its list was read"), result.stderr());
        assertTrue(result.stderr().contains("0 failed, 1 deleted upstream"), result.stderr());
        assertEquals(1, report().path("totals").path("deleted_upstream").asInt());
        assertEquals(0, report().path("failures").size());
        assertArrayEquals(saved, Files.readAllBytes(file), "the file saved before is kept");
    }

    @Test
    void aRecordedChatWhoseFileHasGoneIsFetchedAgainAndTheRunSaysSo() throws Exception {
        // the oldest chat: an early stop would never page down to it
        List<SampleAccount.Chat> list = backup.account.chatList(backup.main);
        SampleAccount.Chat oldest = list.get(list.size() - 1);
        Files.delete(backup.chatFile(backup.main, oldest.uuid()));

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(result.stderr().contains("The file of chat " + oldest.name() + " (" + oldest.uuid() + ") has gone"), result.stderr());
        assertEquals(List.of(oldest.uuid()), backup.calls().chats());
        backup.assertHoldsEveryChat();
    }
}
