package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;

/**
 * Issue 16, point 3: a list whose entries have no updated_at (an API change away). They were recorded
 * once and never fetched again, even when they changed; now each is fetched every run and written only
 * when its content changed, and the run says once that the list lacks dates.
 */
class UndatedEntriesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SAID = "gives chats without updated_at: each of them is fetched every run, and written only when its content changed";

    @TempDir
    Path work;

    @Test
    void chatsListedWithoutDatesAreFetchedEveryRunAndWrittenOnlyWhenTheyChanged() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 4, 2)) {
            backup.api.intercept(request -> {
                if (!request.path().matches("/api/organizations/[^/]+/chat_conversations")) {
                    return Optional.empty();
                }
                String organization = request.path().split("/")[3];
                ArrayNode rows = MAPPER.createArrayNode();
                for (SampleAccount.Chat chat : backup.account.chatList(organization)) {
                    rows.add(SampleAccount.listEntry(chat).without("updated_at"));
                }
                return Optional.of(new Response(200, Map.of("Content-Type", "application/json"), MAPPER.writeValueAsBytes(rows)));
            });

            BackupRunner.Result first = backup.run();
            assertEquals(ExitStatus.OK, first.status(), first.toString());
            assertEquals(6, first.stdoutLines().size());
            assertEquals(1, first.stderr().lines().filter(line -> line.contains(SAID)).count(), "said once: " + first.stderr());

            BackupRunner.Result second = backup.run();
            assertEquals(ExitStatus.OK, second.status(), second.toString());
            assertEquals(6, backup.calls().chats().size(), "every chat fetched again: nothing tells whether it changed");
            assertEquals(List.of(), second.stdoutLines(), "none written: none changed");
            assertEquals(1, second.stderr().lines().filter(line -> line.contains(SAID)).count(), second.stderr());

            String changed = backup.chatAt(backup.side, 1);
            SampleAccount.Chat updated = backup.account.updateChat(backup.side, changed);
            BackupRunner.Result third = backup.run();
            assertEquals(ExitStatus.OK, third.status(), third.toString());
            assertEquals(6, backup.calls().chats().size());
            assertEquals(List.of(changed + "\t" + updated.name()), third.stdoutLines(), "the changed one is written");
            assertArrayEquals(updated.json(), Files.readAllBytes(backup.chatFile(backup.side, changed)));
            backup.assertHoldsEveryChat();

            // recorded without a date, a chat's version is its hash: verify finds the backup whole
            BackupRunner.Result verify = BackupRunner.run(BackupRunner.environment(), "verify", "--dir", backup.dir.toString());
            assertEquals(ExitStatus.OK, verify.status(), verify.toString());
        }
    }
}
