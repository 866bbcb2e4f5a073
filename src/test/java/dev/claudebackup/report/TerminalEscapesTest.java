package dev.claudebackup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.LoopbackBackup;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * Issue 16, point 9: names and server strings never reach the terminal raw. {@code ESC]0;...BEL}
 * retitled it, {@code ESC[2J} cleared it, U+202E showed text reversed; a redirect's Location (a header: Latin-1, so C1's CSI) likewise.
 */
class TerminalEscapesTest {

    private static final String RETITLE = "\u001b]0;pwned\u0007";
    private static final String CLEAR = "\u001b[2J";
    private static final String REVERSED = "\u202Egpj.exe";

    @TempDir
    Path work;

    /** Not one control character but the line breaks of stderr's own lines and stdout's tab separator; no bidi control. */
    private static void assertClean(String output) {
        output.codePoints().forEach(c -> {
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7F && c <= 0x9F;
            assertFalse(control || Console.isBidiControl(c), "U+" + Integer.toHexString(c) + " in: " + output);
        });
    }

    @Test
    void namesWithEscapesAndBidiControlsArePrintedWithoutThemAndTheFileNamesDropTheBidiControls() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 0, 1)) {
            backup.account.renameOrganization(backup.main, "Org" + CLEAR + "\u2066iso\u2069");
            backup.account.addChat(backup.main, "Title" + RETITLE + " and" + CLEAR + " then " + REVERSED + "\u0085c1", 1, false);
            String failing = backup.account.addChat(backup.main, "Fails" + RETITLE + REVERSED, 1, false).uuid();
            backup.api.intercept(request -> request.path().endsWith(failing) ? Optional.of(Response.json(500, "{}")) : Optional.empty());

            BackupRunner.Result result = backup.run("--retries", "1");

            assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
            assertClean(result.stdout());
            assertClean(result.stderr());
            assertTrue(result.stdout().contains("Title?]0;pwned? and?[2J then ?gpj.exe?c1"), result.stdout());
            assertTrue(result.stderr().contains("Could not save chat Fails?]0;pwned??gpj.exe"), result.stderr());
            for (String file : BackupTree.files(backup.dir).keySet()) {
                assertFalse(file.codePoints().anyMatch(Console::isBidiControl), "a bidi control in the file name " + file);
            }
            assertTrue(BackupTree.chatFiles(backup.dir).keySet().stream().anyMatch(file -> file.contains("_then_gpj.exe")),
                    BackupTree.chatFiles(backup.dir).keySet().toString());
        }
    }

    @Test
    void aRedirectsLocationIsPrintedWithoutItsEscapes() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 1, 0)) {
            backup.api.intercept(request -> request.path().matches(".*/chat_conversations/[^/]+")
                    ? Optional.of(new Response(302, Map.of("Location", "https://elsewhere.invalid/" + CLEAR + "\u009b2J"), new byte[0]))
                    : Optional.empty());

            BackupRunner.Result result = backup.run();

            assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
            assertClean(result.stderr());
            assertTrue(result.stderr().contains("redirected (HTTP 302) to https://elsewhere.invalid/?[2J?2J"), result.stderr());
        }
    }

    @Test
    void theConsoleReplacesControlsInEveryLineButKeepsItsOwnLineBreaks() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);

        console.error("first line" + RETITLE + "\nsecond\u202D line\r");
        console.chatSaved("11111111-1111-4111-8111-111111111111", "a\tb" + CLEAR);

        assertEquals("first line?]0;pwned?\nsecond? line \n", err.toString(StandardCharsets.UTF_8));
        assertEquals("11111111-1111-4111-8111-111111111111\ta b?[2J\n", out.toString(StandardCharsets.UTF_8));
    }
}
