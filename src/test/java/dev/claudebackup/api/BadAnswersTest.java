package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/** A 200 whose body is not one whole JSON document is a failure like a 5xx: retried, and never saved. */
class BadAnswersTest {

    private static final String HTML = "<!DOCTYPE html><html><head><title>claude.ai</title></head><body>Oops</body></html>";

    @TempDir
    Path dir;
    ApiFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(6);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** What each of the first five chats is answered instead of its JSON; the sixth is answered well. */
    private List<Response> badAnswers() {
        byte[] json = fixture.chat(0).json();
        return List.of(
                new Response(200, Map.of("Content-Type", "application/json"), Arrays.copyOf(json, json.length / 2)),
                new Response(200, Map.of("Content-Type", "text/html"), HTML.getBytes(StandardCharsets.UTF_8)),
                new Response(200, Map.of("Content-Type", "application/json"), new byte[0]),
                new Response(200, Map.of("Content-Type", "application/json"), (new String(fixture.chat(3).json(),
                        StandardCharsets.UTF_8) + "{\"more\":1}").getBytes(StandardCharsets.UTF_8)),
                new Response(200, Map.of("Content-Type", "application/json"), fixture.chat(4).json()).cutShort(100));
    }

    private void inject(int times) {
        List<Response> answers = badAnswers();
        for (int i = 0; i < answers.size(); i++) {
            fixture.failFirst(times, ApiFixture.chatRequest(fixture.chat(i)), answers.get(i));
        }
    }

    @Test
    void aBadBodyOnceIsRetriedAndTheWholeChatSaved() throws Exception {
        inject(1);

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        for (int i = 0; i < 5; i++) {
            SampleAccount.Chat chat = fixture.chat(i);
            assertEquals(2, fixture.requests(ApiFixture.chatRequest(chat)).size(), chat.name());
            assertArrayEquals(chat.json(), Files.readAllBytes(dir.resolve(fixture.fileOf(chat))));
        }
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(fixture.chat(0))
                + " after the answer from claude.ai was cut short (its JSON does not end)"), result.stderr());
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(fixture.chat(1))
                + " after an HTML page instead of JSON from claude.ai"), result.stderr());
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(fixture.chat(2))
                + " after an empty answer from claude.ai"), result.stderr());
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(fixture.chat(3))
                + " after the answer from claude.ai has more after its JSON"), result.stderr());
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(fixture.chat(4))
                + " after the connection was closed before the whole answer came"), result.stderr());
    }

    @Test
    void aBadBodyEveryTimeFailsTheChatAndNothingIsWrittenForIt() throws Exception {
        inject(Integer.MAX_VALUE);

        BackupRunner.Result result = fixture.backup(dir, "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        for (int i = 0; i < 5; i++) {
            SampleAccount.Chat chat = fixture.chat(i);
            assertEquals(2, fixture.requests(ApiFixture.chatRequest(chat)).size(), chat.name());
            assertFalse(Files.exists(dir.resolve(fixture.fileOf(chat))), chat.name());
            assertTrue(result.stderr().contains("Could not save chat " + ApiFixture.label(chat) + ": "), result.stderr());
        }
        assertEquals(List.of(fixture.fileOf(fixture.chat(5))), List.copyOf(BackupTree.chatFiles(dir).keySet()),
                "only the chat that came whole was written");
        assertNoTemporaryFiles();
    }

    @Test
    void aGoodFileIsNeverReplacedByABadAnswerAndTheChatIsNotRecordedAsSaved() throws Exception {
        assertEquals(ExitStatus.OK, fixture.backup(dir).status());
        SampleAccount.Chat chat = fixture.chat(2);
        byte[] good = Files.readAllBytes(dir.resolve(fixture.fileOf(chat)));
        SampleAccount.Chat updated = fixture.account.updateChat(fixture.organization.uuid(), chat.uuid());
        byte[] cut = Arrays.copyOf(updated.json(), updated.json().length - 10);
        fixture.failAlways(ApiFixture.chatRequest(chat), new Response(200, Map.of("Content-Type", "application/json"), cut));

        BackupRunner.Result bad = fixture.backup(dir, "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, bad.status(), bad.toString());
        assertArrayEquals(good, Files.readAllBytes(dir.resolve(fixture.fileOf(chat))), "the old good file stays, byte for byte");
        assertNoTemporaryFiles();

        fixture.api.clearInterceptors();
        BackupRunner.Result next = fixture.backup(dir);

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(List.of(chat.uuid() + "\t" + chat.name()), next.stdoutLines(), "the update was not recorded as saved");
        assertArrayEquals(updated.json(), Files.readAllBytes(dir.resolve(fixture.fileOf(chat))));
    }

    @Test
    void aBadAccountOrListIsNeverWritten() throws Exception {
        fixture.failAlways(ApiFixture.accountRequest(), new Response(200, Map.of("Content-Type", "text/html"),
                HTML.getBytes(StandardCharsets.UTF_8)));

        BackupRunner.Result result = fixture.backup(dir, "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(2, fixture.requests(ApiFixture.accountRequest()).size());
        assertTrue(result.stderr().contains("Could not fetch the account: an HTML page instead of JSON from claude.ai"), result.stderr());
        assertEquals(Map.of(), BackupTree.files(dir), "nothing but the state folder");
    }

    private void assertNoTemporaryFiles() throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> temporary = paths.filter(path -> path.getFileName().toString().startsWith(".part-")).toList();
            assertEquals(List.of(), temporary);
        }
    }
}
