package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.JarProcess;

/**
 * The exit statuses cron and Kubernetes read, from the jar as a process (0 with the demo, 2 without a
 * key and 3 with a refused one are in JarProcessIT): 0 against a loopback API, 1 when a chat keeps
 * failing, 2 for bad usage.
 */
class ExitStatusIT {

    @TempDir
    Path dir;

    private Map<String, String> environment() {
        return Map.of("HOME", dir.toString(), "CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY);
    }

    @Test
    void allSavedExitsZero() throws Exception {
        try (FakeClaudeApi api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY)) {
            JarProcess run = JarProcess.start(environment(), dir, List.of(), "--base-url", api.baseUrl(), "-s", "0",
                    dir.resolve("backup").toString());

            assertEquals(0, run.waitFor(120), run.stderr());
            assertEquals(9, run.stdout().lines().count(), run.stdout());
        }
    }

    @Test
    void aChatThatKeepsFailingExitsOneAndIsInTheRunReport() throws Exception {
        SampleAccount account = FakeClaudeApi.demoAccount();
        SampleAccount.Organization team = account.organizations().get(1);
        SampleAccount.Chat broken = account.chatList(team.uuid()).get(1);
        try (FakeClaudeApi api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY)) {
            api.intercept(request -> request.path().endsWith("/" + broken.uuid())
                    ? Optional.of(FakeClaudeApi.Response.json(500, "{}")) : Optional.empty());
            Path backup = dir.resolve("backup");
            JarProcess run = JarProcess.start(environment(), dir, List.of(), "--base-url", api.baseUrl(), "-s", "0",
                    "--retries", "0", backup.toString());

            assertEquals(1, run.waitFor(120), run.stderr());
            assertEquals(8, run.stdout().lines().count(), "the other chats were saved: " + run.stdout());
            assertTrue(run.stderr().contains("Could not save chat " + broken.name()), run.stderr());
            assertTrue(run.stderr().contains("Backup incomplete: 8 new, 0 updated, 0 renamed, 0 unchanged, 1 failed"), run.stderr());
            JsonNode report = new ObjectMapper().readTree(backup.resolve(".claude-backup/last-run.json").toFile());
            assertEquals(1, report.path("exit_status").asInt());
            assertEquals(broken.uuid(), report.path("failures").get(0).path("uuid").asText());
        }
    }

    @Test
    void badUsageExitsTwoBeforeAskingAnything() throws Exception {
        JarProcess unknownOption = JarProcess.start(environment(), dir, List.of(), "--no-such-option");
        assertEquals(2, unknownOption.waitFor(60), unknownOption.stderr());

        JarProcess badSchedule = JarProcess.start(environment(), dir, List.of(), "--schedule", "0 * * * *", dir.resolve("b").toString());
        assertEquals(2, badSchedule.waitFor(60), badSchedule.stderr());
        assertTrue(badSchedule.stderr().contains("not a Quartz cron expression"), badSchedule.stderr());

        JarProcess quietAndVerbose = JarProcess.start(environment(), dir, List.of(), "--quiet", "--verbose", dir.resolve("b").toString());
        assertEquals(2, quietAndVerbose.waitFor(60), quietAndVerbose.stderr());
    }
}
