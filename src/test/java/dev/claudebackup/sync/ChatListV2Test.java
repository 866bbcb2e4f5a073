package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.testing.BackupRunner;

/** Where the v1 chat list answers 404, the v2 list ({data, has_more}) is used, and paged the same way. */
class ChatListV2Test {

    @TempDir
    Path work;
    LoopbackBackup backup;

    @BeforeEach
    void retireTheV1List() throws Exception {
        backup = LoopbackBackup.start(work, 3, 10, 2);
        backup.api.retireV1List();
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    @Test
    void theV2ListIsUsedAndLaterRunsGoThereAtOnce() throws Exception {
        BackupRunner.Result first = backup.run();

        assertEquals(ExitStatus.OK, first.status(), first.toString());
        ApiCalls calls = backup.calls();
        assertEquals(List.of("0+3"), calls.v1Lists(backup.main), "one 404");
        assertEquals(List.of("0+3", "2+4", "5+4", "8+4"), calls.v2Lists(backup.main), "paged until has_more is false");
        assertEquals(List.of("0+3"), calls.v2Lists(backup.side));
        assertEquals(12, calls.chats().size());
        assertTrue(first.stderr().contains("The chat list of Main (" + backup.main + ") answered 404; using the v2 chat list"), first.stderr());
        backup.assertHoldsEveryChat();

        backup.account.addChat(backup.main, "After the move", 1, false);
        backup.account.addChat(backup.main, "After the move, again", 1, false);
        BackupRunner.Result next = backup.run();

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        calls = backup.calls();
        assertEquals(List.of(), calls.v1Lists(backup.main), "the 404 is remembered");
        assertEquals(List.of(), calls.v1Lists(backup.side));
        assertEquals(List.of("0+3"), calls.v2Lists(backup.main));
        assertEquals(2, calls.chats().size());
        assertEquals(1 + 2 + 2 + 2, calls.total(), "the account, two list pages, two chats, two project lists\n" + calls);
        backup.assertHoldsEveryChat();
    }

    @Test
    void aV2ListThatAnswers404TooFailsThatOrganizationOnly() throws Exception {
        backup.api.intercept(request -> request.path().endsWith(backup.side + "/chat_conversations_v2")
                ? Optional.of(FakeClaudeApi.Response.json(404, "{\"type\":\"error\"}")) : Optional.empty());

        BackupRunner.Result result = backup.run();

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains("Could not back up organization Side (" + backup.side + ")"), result.stderr());
        assertEquals(List.of("0+3"), backup.calls().v2Lists(backup.side), "asked once, not again and again");
        assertEquals(10, backup.calls().chats().size(), "Main is backed up all the same");
    }
}
