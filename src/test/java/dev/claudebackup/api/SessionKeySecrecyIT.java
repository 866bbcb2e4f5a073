package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.JarProcess;

/**
 * The session key never shows: not on stdout or stderr at any log level (every logger forced to TRACE,
 * Camel's HTTP activity log on), not in an error message, not in any file under the backup folder.
 * The jar runs as its own process, so its logging is set up from scratch as a user's would be.
 */
class SessionKeySecrecyIT {

    /** Every log level to the most, as a person debugging might set them. */
    private static final List<String> TRACE_EVERYTHING = List.of(
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=trace",
            "-Dorg.slf4j.simpleLogger.log.org.apache.hc=trace",
            "-Dorg.slf4j.simpleLogger.log.org.apache.camel=trace");

    @TempDir
    Path dir;
    ApiFixture fixture;
    FakeClaudeApi elsewhere;

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(6);
        elsewhere = new FakeClaudeApi(fixture.account, "another-key");
    }

    @AfterEach
    void stop() {
        fixture.close();
        elsewhere.close();
    }

    @Test
    void theKeyIsNowhereAfterARunWithEveryKindOfFaultAtTraceLevel() throws Exception {
        fixture.failFirst(1, ApiFixture.chatRequest(fixture.chat(0)), ApiFixture.status(503));
        fixture.failFirst(1, ApiFixture.chatRequest(fixture.chat(1)), Response.DROP_CONNECTION);
        fixture.failAlways(ApiFixture.chatRequest(fixture.chat(2)), new Response(302, Map.of("Location", elsewhere.baseUrl() + "/x"), new byte[0]));
        fixture.failFirst(1, ApiFixture.chatRequest(fixture.chat(3)), new Response(200, Map.of(), fixture.chat(3).json()).cutShort(50));
        fixture.slowFirst(1, ApiFixture.chatRequest(fixture.chat(4)), 2000);
        Path config = Files.writeString(dir.resolve("debug.properties"), "camel.component.http.log-http-activity=true\n");
        Path backup = dir.resolve("backup");

        JarProcess run = start(TRACE_EVERYTHING, "--verbose", "--config", config.toString(), backup.toString());

        assertEquals(1, run.waitFor(120), run.stderr());
        assertTrue(run.stderr().contains("TRACE") && run.stderr().contains("DEBUG"), "the logs really were on");
        assertTrue(run.stderr().contains("Retrying chat"), run.stderr());
        assertEquals(0, elsewhere.requests().size());
        assertKeyNowhere(run, backup);
    }

    @Test
    void theKeyIsNowhereWhenClaudeRefusesIt() throws Exception {
        fixture.failAlways(ApiFixture.listRequest(), AccessDeniedTest.sessionError(401, "authentication_error"));
        Path backup = dir.resolve("backup");

        JarProcess run = start(TRACE_EVERYTHING, "--verbose", backup.toString());

        assertEquals(3, run.waitFor(120), run.stderr());
        assertTrue(run.stderr().contains("claude.ai refused the session key"), run.stderr());
        assertKeyNowhere(run, backup);
    }

    @Test
    void theKeyIsNowhereAtTheDefaultLevelsEither() throws Exception {
        fixture.failFirst(1, ApiFixture.chatRequest(fixture.chat(0)), ApiFixture.status(429));
        Path backup = dir.resolve("backup");

        JarProcess run = start(List.of(), backup.toString());

        assertEquals(0, run.waitFor(120), run.stderr());
        assertFalse(run.stderr().contains("DEBUG"));
        assertKeyNowhere(run, backup);
    }

    private JarProcess start(List<String> jvmOptions, String... args) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY);
        environment.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        environment.put("BACKUP_RESPONSE_TIMEOUT", "500");
        List<String> all = new ArrayList<>(List.of("--base-url", fixture.api.baseUrl(), "--success-delay", "0",
                "--min-retry-delay", "0.01", "--max-retry-delay", "0.05"));
        all.addAll(List.of(args));
        return JarProcess.start(environment, dir, jvmOptions, all.toArray(String[]::new));
    }

    /** The key, and forms of it a careless log might hold: its secret part, Base64. */
    private static List<byte[]> forms() {
        String key = BackupRunner.SESSION_KEY;
        return List.of(key, key.substring("sk-ant-sid01-".length()),
                        Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)),
                        Base64.getEncoder().encodeToString(("sessionKey=" + key).getBytes(StandardCharsets.UTF_8)))
                .stream().map(form -> form.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static void assertKeyNowhere(JarProcess run, Path backup) throws Exception {
        assertFalse(run.stdout().isEmpty() && run.stderr().isEmpty(), "the process printed something");
        assertNotIn(run.stdout().getBytes(StandardCharsets.UTF_8), "stdout");
        assertNotIn(run.stderr().getBytes(StandardCharsets.UTF_8), "stderr");
        int files = 0;
        try (Stream<Path> paths = Files.walk(backup)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (Files.isRegularFile(path)) {
                    assertNotIn(Files.readAllBytes(path), path.toString());
                    files++;
                }
            }
        }
        assertTrue(Files.exists(backup.resolve(".claude-backup/state.db")), "the state database was searched too");
        assertTrue(files > 2, "files were searched: " + files);
    }

    private static void assertNotIn(byte[] haystack, String where) {
        for (byte[] form : forms()) {
            assertFalse(contains(haystack, form), "the session key (" + new String(form, StandardCharsets.UTF_8).length()
                    + " characters of it) is in " + where);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
