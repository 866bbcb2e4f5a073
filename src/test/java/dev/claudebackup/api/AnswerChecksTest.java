package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/** Issue 16, point 1: only the chat asked for replaces a chat; the account and the list are checked too. */
class AnswerChecksTest {

    @TempDir
    Path dir;
    ApiFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(5);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void anErrorObjectAnEmptyObjectAnArrayOrAnotherChatNeverReplacesAGoodChat() throws Exception {
        assertEquals(ExitStatus.OK, fixture.backup(dir).status());
        List<Response> wrong = List.of(
                Response.json(200, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
                Response.json(200, "{}"),
                Response.json(200, "[]"),
                new Response(200, Map.of("Content-Type", "application/json"), fixture.chat(4).json()));
        byte[][] good = new byte[4][];
        for (int i = 0; i < 4; i++) {
            SampleAccount.Chat chat = fixture.chat(i);
            good[i] = Files.readAllBytes(dir.resolve(fixture.fileOf(chat)));
            fixture.account.updateChat(fixture.organization.uuid(), chat.uuid());
            fixture.failAlways(ApiFixture.chatRequest(chat), wrong.get(i));
        }

        fixture.api.clearRequests();
        BackupRunner.Result bad = fixture.backup(dir, "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, bad.status(), bad.toString());
        assertFalse(bad.stderr().contains("Backup complete"), bad.stderr());
        for (int i = 0; i < 4; i++) {
            SampleAccount.Chat chat = fixture.chat(i);
            assertEquals(2, fixture.requests(ApiFixture.chatRequest(chat)).size(), "tried, then retried once: " + chat.name());
            assertArrayEquals(good[i], Files.readAllBytes(dir.resolve(fixture.fileOf(chat))), "the good file stays: " + chat.name());
            assertTrue(bad.stderr().contains("Could not save chat " + ApiFixture.label(chat) + ": "), bad.stderr());
        }
        assertTrue(bad.stderr().contains("an error object overloaded_error instead of the answer from claude.ai: Overloaded"), bad.stderr());
        assertTrue(bad.stderr().contains("is not a chat (it has no uuid)"), bad.stderr());
        assertTrue(bad.stderr().contains("is an array, not the chat asked for"), bad.stderr());
        assertTrue(bad.stderr().contains("is another chat (" + fixture.chat(4).uuid() + ") than the one asked for"), bad.stderr());

        fixture.api.clearInterceptors();
        BackupRunner.Result next = fixture.backup(dir);

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(4, next.stdoutLines().size(), "the four chats were not recorded as saved: " + next);
        fixture.account.chatList(fixture.organization.uuid()).forEach(chat -> {
            try {
                assertArrayEquals(chat.json(), Files.readAllBytes(dir.resolve(fixture.fileOf(chat))));
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void aChatAnsweredWithItsUuidInUpperCaseIsTheChatAskedFor() throws Exception {
        SampleAccount.Chat chat = fixture.chat(1);
        String json = new String(chat.json(), java.nio.charset.StandardCharsets.UTF_8)
                .replace(chat.uuid(), chat.uuid().toUpperCase(java.util.Locale.ROOT));
        fixture.failAlways(ApiFixture.chatRequest(chat), Response.json(200, json));

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
    }

    @Test
    void anAccountWithoutUuidOrAListThatIsNoListIsNeverWritten() throws Exception {
        fixture.failAlways(ApiFixture.accountRequest(), Response.json(200, "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"}}"));

        BackupRunner.Result account = fixture.backup(dir, "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, account.status(), account.toString());
        assertEquals(2, fixture.requests(ApiFixture.accountRequest()).size());
        assertTrue(account.stderr().contains("Could not fetch the account: an error object rate_limit_error"), account.stderr());
        assertEquals(Map.of(), BackupTree.files(dir));

        fixture.api.clearInterceptors();
        fixture.failAlways(ApiFixture.accountRequest(), Response.json(200, "{}"));
        BackupRunner.Result empty = fixture.backup(dir, "--retries", "0");
        assertEquals(ExitStatus.SOME_FAILED, empty.status(), empty.toString());
        assertTrue(empty.stderr().contains("is not an account (an object with a uuid)"), empty.stderr());
        assertEquals(Map.of(), BackupTree.files(dir));

        fixture.api.clearInterceptors();
        fixture.failAlways(ApiFixture.listRequest(), Response.json(200, "{\"uuid\":\"not a list\"}"));
        BackupRunner.Result list = fixture.backup(dir, "--retries", "1");
        assertEquals(ExitStatus.SOME_FAILED, list.status(), list.toString());
        assertEquals(2, fixture.requests(ApiFixture.listRequest()).size());
        assertTrue(list.stderr().contains("is not a list (an array, or an object with a data array)"), list.stderr());
        assertEquals(Map.of(), BackupTree.chatFiles(dir));
    }
}
