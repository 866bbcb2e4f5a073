package dev.claudebackup.sync;

import java.nio.file.FileSystemException;

import org.apache.camel.Exchange;
import org.apache.camel.component.file.GenericFileOperationFailedException;

import dev.claudebackup.api.FailureReasons;
import dev.claudebackup.api.NotFoundException;
import dev.claudebackup.api.RetryPolicy;
import dev.claudebackup.report.Console;

/**
 * What the error handler calls once retries are spent: it says what failed on stderr and records it in
 * the run. A chat or list that fails does not stop the others; a refused session key or a backup folder
 * that cannot be written stops the run, since everything after would fail the same way.
 */
public final class Failures {

    private final Console console;

    public Failures(Console console) {
        this.console = console;
    }

    /** claude.ai refused the session key or blocked the request: exit status 3. */
    public void accessDenied(Exchange exchange) {
        BackupRun run = run(exchange);
        if (!run.isAborted()) {
            String message = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage();
            run.abort(ExitStatus.ACCESS_DENIED, message);
            console.error(message);
        }
    }

    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        BackupRun run = run(exchange);
        if (isDiskFailure(failure)) {
            String message = "Cannot write to the backup folder: " + FailureReasons.of(failure)
                    + ". Nothing half-written was kept; free some space or fix the folder's permissions, then run again.";
            if (!run.isAborted()) {
                console.error(message);
            }
            run.abort(ExitStatus.SOME_FAILED, message);
        }
        ChatRef chat = exchange.getProperty(ChatRef.PROPERTY, ChatRef.class);
        if (chat != null && isNotFound(failure)) {
            // deleted on claude.ai between the list and its fetch: a deletion, not a failure
            run.deletedWhileFetching(chat.organization().label());
            console.info("Chat " + chat.label() + " was deleted on claude.ai after its list was read"
                    + " (HTTP 404); a file saved earlier is kept");
            return;
        }
        Organization organization = exchange.getProperty(Organization.PROPERTY, Organization.class);
        String reason = reason(failure);
        String what;
        if (chat != null) {
            what = "Could not save chat " + chat.label();
            run.failed(new BackupRun.Failure(chat.organization().label(), chat.uuid(), chat.name(), reason));
        } else if (organization != null) {
            what = "Could not back up organization " + organization.label();
            run.failed(new BackupRun.Failure(organization.label(), null, organization.name(), reason));
        } else {
            what = "Could not fetch the account";
            run.failed(new BackupRun.Failure(null, null, "account", reason));
        }
        if (!isDiskFailure(failure)) {
            console.error(what + ": " + reason);
        }
    }

    private static boolean isNotFound(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof NotFoundException) {
                return true;
            }
        }
        return false;
    }

    /** A failure to write the backup folder (a full or read-only disk): it stops the run, since every write after would fail too. */
    public static boolean isDiskFailure(Throwable failure) {
        if (RetryPolicy.isSpoolFailure(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof GenericFileOperationFailedException || cause instanceof FileSystemException) {
                return true;
            }
        }
        return false;
    }

    private static String reason(Throwable failure) {
        return FailureReasons.of(failure);
    }

    private static BackupRun run(Exchange exchange) {
        return exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
    }
}
