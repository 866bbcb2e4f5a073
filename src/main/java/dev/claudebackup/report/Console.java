package dev.claudebackup.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * What a person sees. stdout carries one {@code UUID<TAB>NAME} line per chat saved and nothing else,
 * so it pipes; every message goes to stderr. {@code --quiet} keeps only errors.
 *
 * <p>Progress is shown per organization, one of two ways: on a terminal a live bar on stderr's last
 * line, which every other line is printed above; in a log (cron, Kubernetes) plain lines now and then.
 */
public class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean quiet;
    /** stderr's bottom line, where the bar is drawn; null when progress is not shown as a bar. */
    private final StatusLine statusLine;
    /** Non-null when progress is shown as log lines: the longest pause between two of them. */
    private final Duration lineInterval;

    public Console(PrintStream out, PrintStream err, boolean quiet) {
        this(out, err, quiet, null, null);
    }

    private Console(PrintStream out, PrintStream err, boolean quiet, StatusLine statusLine, Duration lineInterval) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
        this.statusLine = statusLine;
        this.lineInterval = lineInterval;
    }

    public static Console system(boolean quiet) {
        return new Console(System.out, System.err, quiet);
    }

    /** The same console, showing progress as a bar this many columns wide. */
    public Console withProgressBar(int columns) {
        return new Console(out, err, quiet, new StatusLine(err, columns), null);
    }

    /** The same console, showing progress as log lines: every 100 chats, or at the first chat {@code interval} after the last line. */
    public Console withProgressLines(Duration interval) {
        return new Console(out, err, quiet, null, interval);
    }

    /**
     * The same console with progress shown as the mode says; {@code auto} draws a bar only when stderr
     * is a terminal (asked of the operating system, see {@link StderrTerminal}).
     */
    public Console withProgress(ProgressMode mode, Duration interval) {
        if (mode == ProgressMode.LINES) {
            return withProgressLines(interval);
        }
        OptionalInt columns = StderrTerminal.columns();
        if (mode == ProgressMode.BAR || columns.isPresent()) {
            return withProgressBar(columns.orElse(StderrTerminal.DEFAULT_COLUMNS));
        }
        return withProgressLines(interval);
    }

    public void chatSaved(String uuid, String name) {
        // A name may hold a tab or a newline: keep one chat per line.
        print(out, printable(uuid) + "\t" + printable(name));
    }

    /**
     * A name or any other string from claude.ai as it may be printed: a tab or line break becomes a space,
     * every other control character (C0, DEL, C1: {@code ESC]0;...BEL} retitles a terminal, {@code ESC[2J}
     * clears it) and every bidi control (U+202E shows text reversed) becomes {@code ?}.
     */
    public static String printable(String text) {
        return text == null ? "" : replaceControls(text, false);
    }

    private static String replaceControls(String text, boolean keepLineBreaks) {
        StringBuilder shown = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char replacement;
            if ((c == '\n' || c == '\t') && keepLineBreaks) {
                continue; // a message's own line breaks, and stdout's separator; names had theirs replaced
            } else if (c == '\t' || c == '\n' || c == '\r') {
                replacement = ' ';
            } else if (c < 0x20 || c >= 0x7F && c <= 0x9F || isBidiControl(c)) {
                replacement = '?';
            } else {
                continue;
            }
            if (shown == null) {
                shown = new StringBuilder(text);
            }
            shown.setCharAt(i, replacement);
        }
        return shown == null ? text : shown.toString();
    }

    /** The embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the direction marks. */
    public static boolean isBidiControl(int c) {
        return c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0x200E || c == 0x200F || c == 0x061C;
    }

    public void info(String message) {
        if (!quiet) {
            line(message);
        }
    }

    public void error(String message) {
        line(message);
    }

    protected void line(String message) {
        print(err, message);
    }

    private void print(PrintStream stream, String text) {
        // Every message may carry a name or a server's words: no control character reaches the terminal.
        String line = replaceControls(text, true);
        if (statusLine != null) {
            statusLine.printAbove(() -> {
                stream.println(line);
                stream.flush();
            });
            return;
        }
        synchronized (stream) {
            stream.println(line);
            stream.flush();
        }
    }

    /**
     * A progress display for one organization with {@code total} chats to fetch: a bar, log lines, or
     * nothing when quiet or when this console shows no progress.
     */
    public Progress progress(String organization, int total) {
        if (quiet) {
            return Progress.NONE;
        }
        if (statusLine != null) {
            if (total == 0) {
                info(organization + ": nothing new to fetch");
                return Progress.NONE;
            }
            return new ProgressBarDisplay(organization, total, statusLine);
        }
        if (lineInterval != null) {
            return new ProgressLines(organization, total, lineInterval, this::info, System::nanoTime);
        }
        return Progress.NONE;
    }

    /** A duration for people: {@code 0.4s}, {@code 12.3s}, {@code 2m05s}, {@code 1h02m03s}. */
    public static String duration(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%d.%ds", seconds, duration.toMillisPart() / 100);
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** Progress of one organization's chats: one step per chat saved or failed. Closing twice is harmless. */
    public interface Progress extends AutoCloseable {
        Progress NONE = new Progress() {
            @Override
            public void step() {
            }

            @Override
            public void close() {
            }
        };

        void step();

        @Override
        void close();
    }
}
