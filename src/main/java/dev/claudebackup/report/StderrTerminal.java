package dev.claudebackup.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Whether this process's stderr is a terminal, and how wide it is. Java cannot tell by itself
 * ({@code System.console()} looks at stdin and stdout), so a shell with the same stderr is asked:
 * {@code test -t 2} is the POSIX answer, and {@code stty size} reads the width from that very
 * terminal. Where there is no POSIX shell (Windows, a distroless image) the answer is "not a terminal".
 * Where Linux already says stderr is a pipe or a file, no shell is started.
 */
final class StderrTerminal {

    static final int DEFAULT_COLUMNS = 80;
    /** Linux's name for this process's file descriptor 2: a link to what it is. */
    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private StderrTerminal() {
    }

    /** The terminal's columns when stderr is a terminal (80 when it does not say); empty otherwise. */
    static OptionalInt columns() {
        if (isNoTerminal(whatStderrIs(), Files.isRegularFile(STDERR))) {
            return OptionalInt.empty(); // no shell started at every run of a schedule (cron, a CronJob, a redirect)
        }
        try {
            Process shell = new ProcessBuilder("sh", "-c", "test -t 2 && { stty size <&2 2>/dev/null || true; }")
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String answer;
            try (InputStream output = shell.getInputStream()) {
                answer = new String(output.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
            if (!shell.waitFor(5, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
                return OptionalInt.empty();
            }
            return shell.exitValue() == 0 ? OptionalInt.of(columnsOf(answer)) : OptionalInt.empty();
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /** What Linux says file descriptor 2 is; null where it cannot say. */
    private static String whatStderrIs() {
        try {
            return Files.readSymbolicLink(STDERR).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /**
     * Whether file descriptor 2 is surely no terminal: a pipe, a socket, {@code /dev/null}, or a regular
     * file ({@code regularFile}: {@code /proc/self/fd/2} followed). Anything else may be one (a terminal of
     * another mount namespace has a name that says little): the shell is asked.
     */
    static boolean isNoTerminal(String stderr, boolean regularFile) {
        if (stderr == null) {
            return false;
        }
        return regularFile || stderr.startsWith("pipe:") || stderr.startsWith("socket:") || stderr.startsWith("anon_inode:")
                || stderr.equals("/dev/null");
    }

    /** {@code stty size} prints "rows columns"; a terminal that does not know its size says "0 0". */
    static int columnsOf(String sttySize) {
        String[] parts = sttySize.split("\\s+");
        try {
            int columns = parts.length == 2 ? Integer.parseInt(parts[1]) : 0;
            return columns >= 20 ? columns : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }
}
