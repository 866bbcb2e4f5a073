package dev.claudebackup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.JarProcess;

/**
 * What the jar prints: a live bar on a terminal (a pseudo-terminal from util-linux's script), plain
 * lines through a pipe, only errors with --quiet, and Camel's own logs with --verbose.
 */
class OutputIT {

    @TempDir
    Path dir;

    @Test
    void onATerminalEachOrganizationGetsALiveBar() throws Exception {
        Path script = Path.of("/usr/bin/script");
        Assumptions.assumeTrue(Files.isExecutable(script), "util-linux script gives the jar a pseudo-terminal");
        String command = String.join(" ", List.of(quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()),
                "-jar", quote(JarProcess.jar().toAbsolutePath().toString()), "--demo", quote(dir.resolve("backup").toString())));
        Path output = dir.resolve("terminal.txt");
        ProcessBuilder builder = new ProcessBuilder(script.toString(), "-q", "-e", "-c", command, "/dev/null")
                .directory(dir.toFile()).redirectOutput(output.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"), "HOME", dir.toString(), "TERM", "xterm"));
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the run ends");
        String shown = Files.readString(output, StandardCharsets.UTF_8);

        assertEquals(0, process.exitValue(), shown);
        assertTrue(shown.contains("\rPersonal "), "the bar is drawn over itself: " + shown);
        assertTrue(shown.contains("100%"), shown);
        assertTrue(shown.contains("7/7 chats"), "chats saved of chats to fetch: " + shown);
        assertTrue(shown.contains("2/2 chats"), "one bar per organization: " + shown);
        assertTrue(shown.contains("chats/s"), "the rate: " + shown);
        assertTrue(shown.contains("Backup complete: 9 new"), shown);
    }

    @Test
    void throughAPipeThereIsNoBarButALineForEachOrganization() throws Exception {
        JarProcess run = JarProcess.start(Map.of("HOME", dir.toString()), dir, List.of(), "--demo", dir.resolve("backup").toString());

        assertEquals(0, run.waitFor(120), run.stderr());
        String stderr = run.stderr();
        assertFalse(stderr.contains("\r"), "no carriage returns in a log: " + stderr);
        assertFalse(stderr.contains("%"), stderr);
        assertTrue(stderr.contains("): 7 chats to fetch\n"), stderr);
        assertTrue(stderr.contains("): 7 of 7 chats done in "), stderr);
        assertTrue(stderr.contains("): 2 of 2 chats done in "), stderr);
        assertTrue(stderr.contains("Backup complete: 9 new, 0 updated, 0 renamed, 0 unchanged, 0 failed, 0 deleted upstream, files: 1 saved"), stderr);
    }

    @Test
    void quietPrintsNothingButErrors() throws Exception {
        JarProcess good = JarProcess.start(Map.of("HOME", dir.toString()), dir, List.of(), "--quiet", "--demo", dir.resolve("good").toString());
        assertEquals(0, good.waitFor(120), good.stderr());
        assertEquals("", good.stderr());
        assertEquals(9, good.stdout().lines().count(), "stdout still lists the chats saved");

        SampleAccount account = FakeClaudeApi.demoAccount();
        SampleAccount.Chat broken = account.chatList(account.organizations().get(0).uuid()).get(0);
        try (FakeClaudeApi api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY)) {
            api.intercept(request -> request.path().endsWith("/" + broken.uuid())
                    ? Optional.of(FakeClaudeApi.Response.json(503, "{}")) : Optional.empty());
            JarProcess bad = JarProcess.start(Map.of("HOME", dir.toString(), "CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY), dir, List.of(),
                    "-q", "--base-url", api.baseUrl(), "--retries", "0", dir.resolve("bad").toString());

            assertEquals(1, bad.waitFor(120), bad.stderr());
            List<String> lines = bad.stderr().lines().toList();
            assertEquals(1, lines.size(), "only the error: " + lines);
            assertTrue(lines.get(0).startsWith("Could not save chat "), lines.get(0));
        }
    }

    @Test
    void verboseAddsCamelsOwnLogsButNeverTheKey() throws Exception {
        try (FakeClaudeApi api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY)) {
            JarProcess run = JarProcess.start(Map.of("HOME", dir.toString(), "CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY), dir, List.of(),
                    "--verbose", "--base-url", api.baseUrl(), "-s", "0", dir.resolve("backup").toString());

            assertEquals(0, run.waitFor(120), run.stderr());
            assertTrue(run.stderr().contains(" INFO "), run.stderr());
            assertTrue(run.stderr().contains("Apache Camel"), run.stderr());
            assertTrue(run.stderr().contains("Session key from "), run.stderr());
            assertFalse(run.stderr().contains(BackupRunner.SESSION_KEY) || run.stdout().contains(BackupRunner.SESSION_KEY), "never the key");
            assertTrue(run.stderr().contains("): 7 of 7 chats done in "), "lines, not a bar, between Camel's logs");
        }
    }

    private static String quote(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }
}
