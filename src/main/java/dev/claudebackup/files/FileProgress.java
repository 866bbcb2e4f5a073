package dev.claudebackup.files;

import java.time.Duration;

import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupRun;

/**
 * A line on stderr with the run's file counts and bytes so far, every 100 files or sooner once the
 * progress interval passed since the last one, beside the organizations' chat progress.
 */
final class FileProgress {

    private static final int EVERY = 100;

    private final Console console;
    private final long intervalNanos;
    private BackupRun run;
    private int sinceLine;
    private long lastLine;

    FileProgress(Console console, Duration interval) {
        this.console = console;
        this.intervalNanos = interval.toNanos();
    }

    synchronized void step(BackupRun current) {
        if (current != run) {
            run = current;
            sinceLine = 0;
            lastLine = System.nanoTime();
        }
        sinceLine++;
        if (sinceLine >= EVERY || System.nanoTime() - lastLine >= intervalNanos) {
            console.info(line(current));
            sinceLine = 0;
            lastLine = System.nanoTime();
        }
    }

    static String line(BackupRun run) {
        return "Files so far" + run.filesSummary().replaceFirst("^, files", "");
    }
}
