package dev.claudebackup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person sees: stdout for chats, stderr for messages, and the progress bar kept out of both's way. */
class ConsoleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Console console(boolean quiet) {
        return new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), quiet);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void stdoutHasOnlyOneLinePerChatEvenWhenTheNameHasTabsAndNewlines() {
        Console console = console(false);
        console.chatSaved("11111111-1111-4111-8111-111111111111", "two\tlines\nhere");
        console.info("a message");

        assertEquals("11111111-1111-4111-8111-111111111111\ttwo lines here\n", stdout());
        assertEquals("a message\n", stderr());
    }

    @Test
    void quietKeepsOnlyErrorsAndShowsNoProgress() {
        Console console = console(true).withProgressBar(80);
        console.info("not shown");
        console.error("shown");
        Console.Progress progress = console.progress("Personal (org)", 3);
        progress.step();
        progress.close();
        console.chatSaved("11111111-1111-4111-8111-111111111111", "kept");

        assertSame(Console.Progress.NONE, progress);
        assertEquals("shown\n", stderr());
        assertEquals(1, stdout().lines().count());
    }

    @Test
    void aBarShowsChatsDoneOfChatsToFetchAndEndsOnItsOwnLine() {
        Console console = console(false).withProgressBar(100);
        Console.Progress progress = console.progress("Personal (0b0b0b0b-0000-4000-8000-000000000000)", 3);
        progress.step();
        progress.step();
        progress.step();

        String shown = stderr();
        assertTrue(shown.startsWith("\rPersonal "), "drawn over itself with carriage returns, no uuid: " + shown);
        assertTrue(shown.contains("100%"), shown);
        assertTrue(shown.contains("3/3 chats"), shown);
        assertTrue(shown.contains("chats/s"), "the rate: " + shown);
        assertTrue(shown.endsWith("\n"), "the finished bar stays as a line: " + shown);
        String lastDraw = shown.substring(shown.lastIndexOf('\r') + 1);
        assertTrue(lastDraw.length() <= 99 + "\u001b[K\n".length(), "fits the terminal's width: " + lastDraw.length());
    }

    @Test
    void messagesAndChatLinesArePrintedAboveTheBarWhichIsDrawnAgainBelow() throws Exception {
        Console console = console(false).withProgressBar(100);
        Console.Progress progress = console.progress("Personal (org)", 2);
        progress.step();
        awaitDrawn();
        console.error("Could not save chat x: HTTP 500");
        String afterMessage = stderr();
        progress.close();

        int message = afterMessage.indexOf("Could not save chat x: HTTP 500\n");
        assertTrue(message > 0, afterMessage);
        assertTrue(afterMessage.substring(0, message).endsWith("\r\u001b[K"), "the bar is wiped first: " + afterMessage);
        assertTrue(afterMessage.substring(message).contains("Personal"), "and drawn again below: " + afterMessage);
        assertFalse(stdout().contains("Personal"), "the bar is never on stdout");
    }

    /** The library draws on its own thread; the first drawing comes at once. */
    private void awaitDrawn() throws InterruptedException {
        for (int i = 0; i < 200 && !stderr().contains("Personal"); i++) {
            Thread.sleep(10);
        }
        assertTrue(stderr().contains("Personal"), "the bar was drawn");
    }

    @Test
    void anOrganizationWithNothingToFetchGetsALineNotABar() {
        Console console = console(false).withProgressBar(100);
        console.progress("Personal (org)", 0).close();

        assertEquals("Personal (org): nothing new to fetch\n", stderr());
    }

    @Test
    void withoutATerminalProgressIsLogLines() {
        Console console = console(false).withProgressLines(Duration.ofSeconds(60));
        Console.Progress progress = console.progress("Personal (org)", 1);
        progress.step();

        assertFalse(stderr().contains("\r"), stderr());
        assertTrue(stderr().startsWith("Personal (org): 1 chat to fetch\nPersonal (org): 1 of 1 chats done in "), stderr());
    }

    @Test
    void aConsoleNotConfiguredForProgressShowsNone() {
        assertSame(Console.Progress.NONE, console(false).progress("Personal (org)", 5));
    }

    @Test
    void durationsReadAsPeopleSayThem() {
        assertEquals("0.4s", Console.duration(Duration.ofMillis(450)));
        assertEquals("59.9s", Console.duration(Duration.ofMillis(59_999)));
        assertEquals("2m05s", Console.duration(Duration.ofSeconds(125)));
        assertEquals("1h02m03s", Console.duration(Duration.ofSeconds(3723)));
    }

    @Test
    void longOrganizationNamesAreCutAndTheUuidLeftOut() {
        assertEquals("Acme Team: Research/Dev", ProgressBarDisplay.taskName("Acme Team: Research/Dev (7352f8cd-4ce7-4d94-96a7-1405e203f6b1)"));
        assertEquals("A very long organizatio~", ProgressBarDisplay.taskName("A very long organization name indeed"));
    }

    @Test
    void theTerminalWidthComesFromSttyAndFallsBackTo80() {
        assertEquals(132, StderrTerminal.columnsOf("43 132"));
        assertEquals(80, StderrTerminal.columnsOf("0 0"));
        assertEquals(80, StderrTerminal.columnsOf(""));
    }

    @Test
    void aPipeOrAFileIsNoTerminalWithoutAskingAShellAndADeviceIsAsked() {
        assertTrue(StderrTerminal.isNoTerminal("pipe:[123456]", false));
        assertTrue(StderrTerminal.isNoTerminal("socket:[99]", false));
        assertTrue(StderrTerminal.isNoTerminal("/var/log/claude-backup.log", true));
        assertTrue(StderrTerminal.isNoTerminal("/tmp/run.err (deleted)", true));
        assertTrue(StderrTerminal.isNoTerminal("/dev/null", false));
        assertFalse(StderrTerminal.isNoTerminal("/dev/pts/3", false));
        assertFalse(StderrTerminal.isNoTerminal("/dev/tty1", false));
        assertFalse(StderrTerminal.isNoTerminal("/dev/console", false));
        assertFalse(StderrTerminal.isNoTerminal("/5", false), "a terminal of another mount namespace");
        assertFalse(StderrTerminal.isNoTerminal(null, false), "where Linux cannot say, the shell is asked");
    }

    @Test
    void aRunWhoseStderrIsAFileStartsNoShellToAsk(@TempDir Path dir) throws Exception {
        // an `sh` first on the PATH that leaves a mark, then is the real one
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path mark = dir.resolve("shell-started");
        Path sh = Files.writeString(bin.resolve("sh"), "#!/bin/sh\ntouch '" + mark + "'\nexec /bin/sh \"$@\"\n");
        sh.toFile().setExecutable(true);

        assertEquals("no terminal", probe(bin, dir.resolve("stderr.txt").toFile()));
        assertFalse(Files.exists(mark), "stderr to a file: no shell asked");

        assertEquals("no terminal", probe(bin, new java.io.File("/dev/zero")));
        assertTrue(Files.exists(mark), "a device that may be a terminal: the shell is asked (the mark works)");
    }

    private static String probe(Path bin, java.io.File stderr) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ColumnsProbe.class.getName())
                .redirectError(stderr);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process java = builder.start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, java.waitFor());
        return out;
    }

    /** Prints whether {@link StderrTerminal#columns} saw a terminal on this process's stderr. */
    public static final class ColumnsProbe {
        public static void main(String[] args) {
            System.out.println(StderrTerminal.columns().isPresent() ? "a terminal" : "no terminal");
        }
    }

    @Test
    void progressModeNamesTheValuesAllowed() {
        assertEquals(ProgressMode.BAR, ProgressMode.of(" Bar "));
        var error = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ProgressMode.of("yes"));
        assertTrue(error.getMessage().contains("auto, bar or lines"), error.getMessage());
    }
}
