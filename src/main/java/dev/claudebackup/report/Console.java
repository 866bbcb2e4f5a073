package dev.claudebackup.report;

import java.io.PrintStream;

/**
 * What a person sees. stdout carries one {@code UUID<TAB>NAME} line per chat saved and nothing else,
 * so it pipes; every message goes to stderr. {@code --quiet} keeps only errors.
 */
public class Console {

    private final PrintStream out;
    private final PrintStream err;
    private final boolean quiet;

    public Console(PrintStream out, PrintStream err, boolean quiet) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    public static Console system(boolean quiet) {
        return new Console(System.out, System.err, quiet);
    }

    public void chatSaved(String uuid, String name) {
        // A name may hold a tab or a newline: keep one chat per line.
        String oneLine = name.replaceAll("[\\t\\r\\n]", " ");
        synchronized (out) {
            out.println(uuid + "\t" + oneLine);
            out.flush();
        }
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
        synchronized (err) {
            err.println(message);
            err.flush();
        }
    }

    /** A progress display for one organization; plain consoles show none. */
    public Progress progress(String organization, int total) {
        return Progress.NONE;
    }

    /** Progress of one organization's chats. */
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
