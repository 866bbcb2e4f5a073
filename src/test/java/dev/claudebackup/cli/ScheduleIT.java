package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.JarProcess;
import dev.claudebackup.testing.Poll;

/** --schedule in the jar as a process: it keeps running, backs up on the cron schedule, and SIGTERM ends it with 0. */
class ScheduleIT {

    @TempDir
    Path dir;

    @Test
    void backsUpEveryTwoSecondsOneRunAtATimeUntilSigterm() throws Exception {
        try (FakeClaudeApi api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY)) {
            api.latency(100);
            JarProcess run = JarProcess.start(Map.of("HOME", dir.toString(), "CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY), dir,
                    List.of(), "--base-url", api.baseUrl(), "-s", "0", "--schedule", "0/2 * * * * ?", dir.resolve("backup").toString());
            Poll.until(Duration.ofSeconds(60), () -> run.stderr().split("Backup complete", -1).length - 1 >= 2, run::stderr);

            run.process().destroy();
            assertEquals(0, run.waitFor(30), "a requested stop ends schedule mode with 0\n" + run.stderr());

            List<FakeClaudeApi.Request> accountRequests = api.requests().stream().filter(r -> r.path().equals("/api/account")).toList();
            assertTrue(accountRequests.size() >= 2, accountRequests.toString());
            long apart = accountRequests.get(1).startedNanos() - accountRequests.get(0).startedNanos();
            assertTrue(apart >= Duration.ofMillis(1500).toNanos(), "on the schedule, not back to back: " + apart);
            // One run at a time: once the second run began, nothing of the first was asked; the second, with
            // nothing new, asks for one chat list page and one project list per organization, and nothing more.
            List<String> paths = api.requests().stream().map(FakeClaudeApi.Request::path).toList();
            int second = java.util.stream.IntStream.range(0, paths.size()).filter(i -> paths.get(i).equals("/api/account"))
                    .skip(1).findFirst().orElseThrow();
            List<String> secondRun = paths.subList(second + 1, paths.size()).stream()
                    .takeWhile(path -> !path.equals("/api/account")).toList();
            assertEquals(4, secondRun.size(), "runs overlapped, or the idle run asked for more: " + paths);
            assertTrue(secondRun.stream().allMatch(path -> path.endsWith("/chat_conversations") || path.endsWith("/projects")),
                    "runs overlapped: " + paths);
            assertEquals(9, run.stdout().lines().count(), "the first run saved the chats, the second found nothing new");
            assertTrue(run.stderr().contains("Backup complete: 0 new, 0 updated, 0 renamed, 9 unchanged"), run.stderr());
        }
    }
}
