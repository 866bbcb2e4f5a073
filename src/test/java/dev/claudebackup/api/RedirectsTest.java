package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** A 3xx is an error: redirects are never followed, so the session cookie never goes to another host. */
class RedirectsTest {

    private static final int[] REDIRECTS = {301, 302, 307, 308};

    @TempDir
    Path dir;
    ApiFixture fixture;
    /** Another server on loopback, where the redirects point. */
    FakeClaudeApi elsewhere;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(REDIRECTS.length + 1);
        elsewhere = new FakeClaudeApi(fixture.account, BackupRunner.SESSION_KEY);
    }

    @AfterEach
    void stop() {
        fixture.close();
        elsewhere.close();
    }

    @Test
    void aRedirectIsNeverFollowedNorRetriedAndTheChatIsReported() throws Exception {
        for (int i = 0; i < REDIRECTS.length; i++) {
            SampleAccount.Chat chat = fixture.chat(i);
            // half point to the other server, half to the same one, where following would have worked
            String target = (i % 2 == 0 ? elsewhere.baseUrl() : fixture.api.baseUrl())
                    + "/api/organizations/" + fixture.organization.uuid() + "/chat_conversations/" + chat.uuid();
            fixture.failAlways(ApiFixture.chatRequest(chat), new Response(REDIRECTS[i], Map.of("Location", target), new byte[0]));
        }

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(0, elsewhere.requests().size(), "the other host saw no request at all");
        for (int i = 0; i < REDIRECTS.length; i++) {
            SampleAccount.Chat chat = fixture.chat(i);
            assertEquals(1, fixture.requests(ApiFixture.chatRequest(chat)).size(), "not followed, not retried");
            assertFalse(Files.exists(dir.resolve(fixture.fileOf(chat))));
            assertTrue(result.stderr().contains("Could not save chat " + ApiFixture.label(chat) + ": claude.ai redirected (HTTP "
                    + REDIRECTS[i] + ")"), result.stderr());
        }
        assertTrue(Files.exists(dir.resolve(fixture.fileOf(fixture.chat(REDIRECTS.length)))));
    }
}
