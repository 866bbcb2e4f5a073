package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;
import dev.claudebackup.testing.JarProcess;

/** The packaged jar as a person runs it: from any folder, with the exit status telling what happened. */
class JarProcessIT {

    @TempDir
    Path dir;

    @Test
    void theDemoWritesARealBackupTreeFromAnyWorkingDirectory() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path backup = dir.resolve("claude-demo");
        JarProcess run = JarProcess.start(Map.of("HOME", dir.toString()), elsewhere, List.of(), "--demo", backup.toString());

        assertEquals(0, run.waitFor(120), run.stderr());
        assertTrue(Files.isRegularFile(backup.resolve("account.json")));
        assertEquals(9, BackupTree.chatFiles(backup).size(), BackupTree.chatFiles(backup).keySet().toString());
        assertEquals(9, run.stdout().lines().count(), run.stdout());
        assertTrue(run.stdout().lines().allMatch(line -> line.matches("[0-9a-f-]{36}\t.*")), run.stdout());
        assertTrue(run.stderr().contains("Backup complete: 9 new"), run.stderr());
        assertFalse(run.stderr().contains(" INFO "), "no Camel logging by default: " + run.stderr());
    }

    @Test
    void theVersionIsThePomsFromTheJarsManifest() throws Exception {
        String pom = Files.readString(Path.of("pom.xml"));
        java.util.regex.Matcher version = java.util.regex.Pattern
                .compile("<artifactId>claude-backup</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(version.find(), "the pom's own version");
        JarProcess run = JarProcess.start(Map.of("HOME", dir.toString()), dir, List.of(), "--version");

        assertEquals(0, run.waitFor(60), run.stderr());
        assertEquals("claude-backup " + version.group(1), run.stdout().strip());
    }

    @Test
    void noSessionKeyExitsTwo() throws Exception {
        JarProcess run = JarProcess.start(Map.of("HOME", dir.toString()), dir, List.of(), dir.resolve("backup").toString());

        assertEquals(2, run.waitFor(60), run.stderr());
        assertTrue(run.stderr().contains("sessionKey"), run.stderr());
        assertEquals("", run.stdout());
    }

    @Test
    void aRefusedSessionKeyExitsThreeAndSaysWhatToDo() throws Exception {
        try (FakeClaudeApi api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY)) {
            JarProcess run = JarProcess.start(Map.of("HOME", dir.toString(), "CLAUDE_SESSION_KEY", "sk-ant-sid01-WRONG-fake"),
                    dir, List.of(), "--base-url", api.baseUrl(), dir.resolve("backup").toString());

            assertEquals(3, run.waitFor(60), run.stderr());
            assertTrue(run.stderr().contains("refused the session key"), run.stderr());
            assertFalse(run.stderr().contains("WRONG-fake"), "the key is never printed");
            assertEquals(1, api.requests().size(), "no retries, nothing after the refusal");
        }
    }

    @Test
    void withoutAUtf8LocaleItStillSavesUnicodeNamesAndAKillStopsTheWholeRun() throws Exception {
        dev.claudebackup.demo.SampleAccount account = new dev.claudebackup.demo.SampleAccount();
        var organization = account.addOrganization("Ünïcödé 🎉", "chat");
        for (int i = 0; i < 40; i++) {
            account.addChat(organization.uuid(), "Chat ✓ " + i, 1, false);
        }
        try (FakeClaudeApi api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY)) {
            api.latency(100);
            // No LANG or LC_ALL: the C locale, as under cron.
            JarProcess run = JarProcess.start(Map.of("HOME", dir.toString(), "CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY),
                    dir, List.of(), "--base-url", api.baseUrl(), "-c", "1", "-s", "0", dir.resolve("backup").toString());
            long deadline = System.currentTimeMillis() + 60_000;
            while (run.stdout().lines().count() < 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(run.stdout().lines().count() >= 3, run.stderr());
            assertTrue(run.stdout().contains("Chat ✓"), "Unicode names saved: " + run.stdout());

            run.process().destroyForcibly().waitFor();
            Thread.sleep(1000);
            int afterKill = api.requests().size();
            Thread.sleep(1500);
            assertEquals(afterKill, api.requests().size(), "nothing runs on after SIGKILL");
            assertTrue(afterKill < 42, "the backup did not finish: " + afterKill + " requests");
        }
    }
}
