package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.cli.Shutdown;
import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** The S3 catch-up notices a stop (SIGTERM): it uploads nothing more, and the next run catches up. */
class S3StopTest {

    private static final String BUCKET = "claude-backups";

    @TempDir
    Path dir;
    FakeClaudeApi api;
    S3Server s3;

    /** A listener of the test: the stop comes as the first chat is saved, before the catch-up. */
    public static final class StopAtTheFirstChat {
        static volatile Shutdown shutdown;

        public void stop() {
            Shutdown current = shutdown;
            if (current != null) {
                current.request();
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY);
        s3 = new S3Server();
        s3.createBucket(BUCKET);
    }

    @AfterEach
    void stop() throws Exception {
        StopAtTheFirstChat.shutdown = null;
        s3.close();
        api.close();
    }

    @Test
    void aStopEndsTheCatchUpAndTheNextRunUploadsTheRest() throws Exception {
        Path backup = dir.resolve("backup");
        Path config = dir.resolve("claude-backup.properties");
        Files.writeString(config, s3.configuration(BUCKET, ""));
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("stop.camel.yaml"), """
                - route:
                    id: stop-at-the-first-chat
                    from:
                      uri: "{{events.chat-saved}}"
                      steps:
                        - bean:
                            beanType: dev.claudebackup.extras.S3StopTest$StopAtTheFirstChat
                            method: stop
                """);
        Shutdown shutdown = new Shutdown();
        StopAtTheFirstChat.shutdown = shutdown;

        BackupRunner.Result stopped = BackupRunner.run(shutdown, BackupRunner.environment(), "--base-url", api.baseUrl(),
                "--success-delay", "0", "--connections", "1", "--config", config.toString(), "--routes", routes.toString(),
                backup.toString());

        assertEquals(ExitStatus.SOME_FAILED, stopped.status(), stopped.toString());
        assertTrue(stopped.stderr().contains("Backup stopped"), stopped.stderr());
        Set<String> keys = s3.objects(BUCKET).keySet();
        assertTrue(Files.exists(backup.resolve("account.json")));
        assertFalse(keys.contains("account.json"), "the catch-up, which uploads account.json, sent nothing after the stop: " + keys);
        assertTrue(keys.stream().allMatch(key -> key.contains("/chat_conversations/")), "only the chats saved went up: " + keys);

        StopAtTheFirstChat.shutdown = null;
        BackupRunner.Result next = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertTrue(s3.objects(BUCKET).containsKey("account.json"), "caught up");
    }
}
