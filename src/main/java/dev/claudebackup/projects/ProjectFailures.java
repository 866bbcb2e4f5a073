package dev.claudebackup.projects;

import org.apache.camel.Exchange;

import dev.claudebackup.api.FailureReasons;
import dev.claudebackup.api.RequestSlots;
import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.Failures;
import dev.claudebackup.sync.Organization;

/**
 * What the projects' error handler calls once retries are spent: the failure is said on stderr and
 * recorded in the run (exit 1), counted with the projects, not with the chats. A project that failed
 * has no new record, so the next run fetches it again; nothing here touches the chats' state, so the
 * next run's chat lists are read as they would have been.
 */
public final class ProjectFailures {

    private final Console console;
    private final RequestSlots requestSlots;

    public ProjectFailures(Console console, RequestSlots requestSlots) {
        this.console = console;
        this.requestSlots = requestSlots;
    }

    public void failed(Exchange exchange) {
        // The request's slot, kept through its retries, is given back now, not when the whole run ends
        // (a split hands its parts' completions to the exchange it split).
        requestSlots.release(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        BackupRun run = exchange.getProperty(BackupRun.PROPERTY, BackupRun.class);
        String reason = FailureReasons.of(failure);
        if (Failures.isDiskFailure(failure)) {
            String message = "Cannot write to the backup folder: " + reason
                    + ". Nothing half-written was kept; free some space or fix the folder's permissions, then run again.";
            if (!run.isAborted()) {
                console.error(message);
            }
            run.abort(ExitStatus.SOME_FAILED, message);
        }
        Organization organization = exchange.getProperty(Organization.PROPERTY, Organization.class);
        String label = organization == null ? null : organization.label();
        ProjectBackup project = exchange.getProperty(ProjectBackup.PROPERTY, ProjectBackup.class);
        String partName = exchange.getProperty(ProjectBackups.PART_PROPERTY, String.class);
        ProjectPart part = partName == null ? null : ProjectPart.valueOf(partName);
        String what;
        if (project != null) {
            what = "Could not save project " + project.project().label();
            run.projectFailed(new BackupRun.Failure(label, project.project().uuid(), project.project().name(), reason));
        } else if (part != null && part.ofOrganization()) {
            what = "Could not save " + part.description() + " of organization " + label;
            run.projectFailed(new BackupRun.Failure(label, null, part.fileName(), reason));
        } else {
            what = "Could not read the project list of organization " + label;
            run.projectFailed(new BackupRun.Failure(label, null, ProjectBackups.LIST_FILE, reason));
        }
        if (!Failures.isDiskFailure(failure)) {
            console.error(what + ": " + reason);
        }
    }
}
