package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.Poll;

/** Schedule mode in the test's JVM: runs on the cron schedule, one at a time, until stopped or refused. */
class ScheduleTest {

    @TempDir
    Path dir;
    FakeClaudeApi api;

    @BeforeEach
    void startApi() throws Exception {
        api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY);
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private CompletableFuture<BackupRunner.Result> schedule(Shutdown shutdown, Map<String, String> environment, String cron) {
        return CompletableFuture.supplyAsync(() -> BackupRunner.run(shutdown, environment, "--base-url", api.baseUrl(),
                "--success-delay", "0", "--retries", "0", "--connections", "2", "--schedule", cron, dir.resolve("backup").toString()));
    }

    private long accountRequests() {
        return api.requests().stream().filter(r -> r.path().equals("/api/account")).count();
    }

    @Test
    void runsOnTheScheduleOneRunAtATimeUntilStopped() throws Exception {
        // Every second, while a first run takes about two: a scheduler that fired on time would overlap runs.
        api.latency(200);
        Shutdown shutdown = new Shutdown();
        CompletableFuture<BackupRunner.Result> running = schedule(shutdown, BackupRunner.environment(), "* * * * * ?");
        Poll.until(Duration.ofSeconds(20), () -> accountRequests() >= 3, () -> "three runs, " + api.requests().size() + " requests");
        shutdown.request();
        BackupRunner.Result result = running.get(20, TimeUnit.SECONDS);

        assertEquals(ExitStatus.OK, result.status(), "a requested stop ends schedule mode with 0\n" + result);
        // Each run reads the account, then one organization's list, then the other's: never interleaved.
        List<String> sequence = api.requests().stream().map(r -> r.path().equals("/api/account") ? "account"
                : r.path().endsWith("/chat_conversations") ? "list" : "chat").filter(kind -> !kind.equals("chat")).toList();
        for (int i = 0; i < sequence.size(); i++) {
            assertEquals(i % 3 == 0 ? "account" : "list", sequence.get(i), "runs overlapped: " + sequence);
        }
        assertEquals(9, result.stdoutLines().size(), "the first run saved the chats, the later ones had nothing new:\n" + result);
        assertTrue(result.stderr().contains("Next backup at "), result.stderr());
    }

    /**
     * Every two seconds, while the first run takes six or more (12 requests of half a second each, one at a
     * time): the next time is looked for once the run is over, so the times it missed are skipped, not
     * made up for by runs one after the other.
     */
    @Test
    void theTimesMissedDuringALongRunAreSkipped() throws Exception {
        api.latency(500);
        Shutdown shutdown = new Shutdown();
        CompletableFuture<BackupRunner.Result> running = CompletableFuture.supplyAsync(() -> BackupRunner.run(shutdown,
                BackupRunner.environment(), "--base-url", api.baseUrl(), "--success-delay", "0", "--connections", "1",
                "--schedule", "*/2 * * * * ?", dir.resolve("backup").toString()));
        Poll.until(Duration.ofSeconds(60), () -> accountRequests() >= 2, () -> "a second run, " + api.requests().size() + " requests");
        shutdown.request();
        BackupRunner.Result result = running.get(30, TimeUnit.SECONDS);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
        List<java.time.ZonedDateTime> times = result.stderr().lines().filter(line -> line.startsWith("Next backup at "))
                .map(line -> java.time.ZonedDateTime.parse(line.substring("Next backup at ".length()), format)).toList();
        assertTrue(times.size() >= 2, result.stderr());
        long apart = Duration.between(times.get(0), times.get(1)).toSeconds();
        assertTrue(apart >= 6, "the second run is at the first time after the first run ended, not the next on the clock: "
                + apart + " s apart\n" + result.stderr());
        List<Long> runStarts = api.requests().stream().filter(r -> r.path().equals("/api/account")).map(FakeClaudeApi.Request::startedNanos).toList();
        assertTrue(runStarts.get(1) - runStarts.get(0) >= Duration.ofSeconds(6).toNanos(), "no run made up for a missed time");
    }

    @Test
    void aRefusedSessionKeyEndsTheScheduleWithStatus3() throws Exception {
        Map<String, String> environment = BackupRunner.environment();
        environment.put("CLAUDE_SESSION_KEY", "sk-ant-sid01-WRONG-fake-key");
        BackupRunner.Result result = schedule(new Shutdown(), environment, "* * * * * ?").get(30, TimeUnit.SECONDS);

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        assertEquals(1, api.requests().size(), "one run, one refused request");
        assertTrue(result.stderr().contains("Ending the schedule"), result.stderr());
    }

    @Test
    void aStopWhileWaitingForTheNextTimeExitsZeroWithoutARun() throws Exception {
        Shutdown shutdown = new Shutdown();
        CompletableFuture<BackupRunner.Result> running = schedule(shutdown, BackupRunner.environment(), "0 0 0 1 1 ? 2099");
        Thread.sleep(2500);
        long stoppedAt = System.nanoTime();
        shutdown.request();
        BackupRunner.Result result = running.get(20, TimeUnit.SECONDS);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(System.nanoTime() - stoppedAt < TimeUnit.SECONDS.toNanos(5), "stopped at once");
        assertEquals(0, api.requests().size());
        assertTrue(result.stderr().contains("Next backup at 2099-01-01 00:00:00"), result.stderr());
    }

    @Test
    void aScheduleWithNoMoreTimesEndsAtOnce() throws Exception {
        BackupRunner.Result result = schedule(new Shutdown(), BackupRunner.environment(), "0 0 0 1 1 ? 2020").get(30, TimeUnit.SECONDS);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(result.stderr().contains("has no more times"), result.stderr());
        assertEquals(0, api.requests().size());
    }

    @Test
    void aUnixCronLineIsBadUsageThatSaysWhatAQuartzExpressionLooksLike() throws Exception {
        BackupRunner.Result result = schedule(new Shutdown(), BackupRunner.environment(), "0 * * * *").get(30, TimeUnit.SECONDS);

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.stderr().contains("six or seven fields"), result.stderr());
        assertTrue(result.stderr().contains("\"0 0 * * * ?\""), result.stderr());
        assertEquals(0, api.requests().size());
    }

    @Test
    void theScheduleCanComeFromTheEnvironment() throws Exception {
        Map<String, String> environment = BackupRunner.environment();
        environment.put("BACKUP_SCHEDULE", "hourly");
        BackupRunner.Result result = BackupRunner.run(environment, "--base-url", api.baseUrl(), dir.resolve("backup").toString());

        assertEquals(ExitStatus.USAGE, result.status(), "BACKUP_SCHEDULE is read, and checked: " + result);
        assertTrue(result.stderr().contains("hourly"), result.stderr());
    }
}
