package dev.claudebackup.files;

import java.nio.file.FileSystemException;

import org.apache.camel.Exchange;

import dev.claudebackup.api.FailureReasons;
import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.ExitStatus;

/**
 * What the files' error handler calls once the retries are spent: the file failed (stderr, the report,
 * exit status 1), its chat stays saved, and the next run asks for it again. A disk that cannot be
 * written stops the run, as it does for chats.
 */
public final class FileFailures {

    private final Console console;

    public FileFailures(Console console) {
        this.console = console;
    }

    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        NamedFile file = exchange.getProperty(NamedFile.PROPERTY, NamedFile.class);
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        String reason = failure == null ? "unknown" : FailureReasons.of(failure);
        if (isDiskFailure(failure)) {
            String message = "Cannot write to the backup folder: " + reason
                    + ". Nothing half-written was kept; free some space or fix the folder's permissions, then run again.";
            if (!run.isAborted()) {
                console.error(message);
            }
            run.abort(ExitStatus.SOME_FAILED, message);
        } else {
            console.error("Could not save " + (file == null ? "a file" : file.label()) + ": " + reason);
        }
        if (file != null) {
            FileDownloads.note(run, file, BackupRun.FileOutcome.FAILED, reason);
        }
    }

    private static boolean isDiskFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileSystemException) {
                return true;
            }
        }
        return false;
    }
}
