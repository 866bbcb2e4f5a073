package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.JarProcess;

/** One run per backup folder, across processes: a second is refused at once; a killed one does not block. */
class RunLockIT {

    @TempDir
    Path dir;
    ApiFixture fixture;
    JarProcess first;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(3);
        // the first run stays in the middle of its chats until the test kills it
        fixture.slowFirst(Integer.MAX_VALUE, ApiFixture.anyChatRequest(), 60_000);
    }

    @AfterEach
    void stop() {
        if (first != null) {
            first.process().destroyForcibly();
        }
        fixture.close();
    }

    @Test
    void aSecondRunIsRefusedAtOnceAndARunKilledWithSigkillDoesNotBlockTheNext() throws Exception {
        Path backup = dir.resolve("backup");
        first = start(backup);
        waitForAChatRequest();

        JarProcess second = start(backup);
        int secondStatus = second.waitFor(30);

        assertEquals(2, secondStatus, second.stderr());
        assertTrue(second.stderr().contains("Another claude-backup run is using " + backup + " (process " + first.process().pid()
                + "); wait for it to finish, or use another backup folder."), second.stderr());
        assertTrue(first.process().isAlive(), "the first run went on");
        assertEquals(1, fixture.requests(ApiFixture.accountRequest()).size(), "the second run asked claude.ai nothing");

        first.process().destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no unlock
        fixture.api.clearInterceptors();
        JarProcess third = start(backup);

        assertEquals(0, third.waitFor(60), third.stderr());
        assertEquals(3, third.stdout().lines().count(), third.stdout());
    }

    private JarProcess start(Path backup) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY);
        environment.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        // a UTF-8 locale: no relaunch in a child process, so the process started here is the one holding the lock
        environment.put("LC_ALL", "C.UTF-8");
        return JarProcess.start(environment, dir, List.of(), "--base-url", fixture.api.baseUrl(), "--success-delay", "0",
                backup.toString());
    }

    private void waitForAChatRequest() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (fixture.requests(ApiFixture.anyChatRequest()).isEmpty()) {
            if (System.nanoTime() > deadline || !first.process().isAlive()) {
                throw new AssertionError("the first run never got to its chats: " + first.stderr());
            }
            Thread.sleep(50);
        }
    }
}
