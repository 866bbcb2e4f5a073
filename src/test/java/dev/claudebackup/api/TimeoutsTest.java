package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Request;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** The HTTP client's timeouts are ours (properties), not its own 3 minutes, and a timeout is retried. */
class TimeoutsTest {

    @TempDir
    Path dir;
    ApiFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(3);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** The chat's first {@code times} requests get no answer for 5 s. */
    private void hang(SampleAccount.Chat chat, int times) {
        fixture.slowFirst(times, ApiFixture.chatRequest(chat), 5000);
    }

    @Test
    void aServerThatDoesNotAnswerInTheResponseTimeoutFromTheEnvironmentIsAskedAgain() throws Exception {
        SampleAccount.Chat chat = fixture.chat(1);
        hang(chat, 1);
        fixture.environment.put("BACKUP_RESPONSE_TIMEOUT", "400");

        BackupRunner.Result result = fixture.backup(dir);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        List<Request> requests = fixture.requests(ApiFixture.chatRequest(chat));
        assertEquals(2, requests.size(), "the first request timed out, the second was answered");
        long waited = ApiFixture.gapsMillis(requests)[0];
        assertTrue(waited >= 400 && waited < 3000, "gave up after the response timeout, not after the answer: " + waited + " ms");
        assertTrue(result.stderr().contains("Retrying chat " + ApiFixture.label(chat) + " after no answer in time"), result.stderr());
        assertArrayEquals(chat.json(), Files.readAllBytes(dir.resolve(fixture.fileOf(chat))));
    }

    @Test
    void theResponseTimeoutFromAConfigFileFailsTheChatWhenItNeverAnswers() throws Exception {
        SampleAccount.Chat chat = fixture.chat(0);
        hang(chat, Integer.MAX_VALUE);
        Path config = dir.resolve("test.properties");
        Files.writeString(config, "backup.response-timeout=300\n");

        BackupRunner.Result result = fixture.backup(dir.resolve("backup"), "--config", config.toString(), "--retries", "1");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(2, fixture.requests(ApiFixture.chatRequest(chat)).size());
        assertTrue(result.stderr().contains("Could not save chat " + ApiFixture.label(chat) + ": no answer in time"), result.stderr());
        assertEquals(2, result.stdoutLines().size(), "the other chats were saved");
    }

    @Test
    void aRefusedConnectionIsRetriedThenReported() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        BackupRunner.Result result = BackupRunner.run(fixture.environment, "--base-url", "http://127.0.0.1:" + closedPort,
                "--success-delay", "0", "--retries", "2", "--min-retry-delay", "0.01", "--max-retry-delay", "0.01", dir.toString());

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(2, result.stderr().lines().filter(line -> line.startsWith("Retrying the account after cannot connect")).count(),
                result.stderr());
        assertTrue(result.stderr().contains("Could not fetch the account: cannot connect"), result.stderr());
    }
}
