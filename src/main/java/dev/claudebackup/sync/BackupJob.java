package dev.claudebackup.sync;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import dev.claudebackup.report.Console;
import dev.claudebackup.report.RunReport;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.RunLock;
import dev.claudebackup.store.SavedChats;

/**
 * One backup run around the {@code backup} route: it takes the folder's lock, sends the run through
 * the route, and then tells listeners the run finished, writes the report and prints the summary.
 * Runs never overlap, in one process (synchronized) or across processes (the lock).
 */
public final class BackupJob {

    /** Header of the run-finished event: the run's exit status (OK, SOME_FAILED, ACCESS_DENIED) before any listener. */
    public static final String STATUS_HEADER = "ClaudeBackupStatus";

    private final ProducerTemplate template;
    private final BackupFolder backup;
    private final SavedChats savedChats;
    private final Console console;
    private final RunReport report;
    private final String runFinishedEndpoint;

    public BackupJob(ProducerTemplate template, BackupFolder backup, SavedChats savedChats, Console console,
                     RunReport report, String runFinishedEndpoint) {
        this.template = template;
        this.backup = backup;
        this.savedChats = savedChats;
        this.console = console;
        this.report = report;
        this.runFinishedEndpoint = runFinishedEndpoint;
    }

    public synchronized ExitStatus run() {
        try {
            backup.create();
        } catch (IOException e) {
            console.error("Cannot create the backup folder " + backup.root() + ": " + e.getMessage());
            return ExitStatus.USAGE;
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(backup.stateFolder());
        } catch (RunLock.AlreadyRunningException e) {
            console.error(e.getMessage());
            return ExitStatus.USAGE;
        } catch (IOException e) {
            console.error("Cannot lock the backup folder " + backup.root() + ": " + e.getMessage());
            return ExitStatus.USAGE;
        }
        try (lock) {
            return runLocked();
        } catch (IOException e) {
            console.error("Cannot release the lock of " + backup.root() + ": " + e.getMessage());
            return ExitStatus.SOME_FAILED;
        }
    }

    private ExitStatus runLocked() {
        BackupRun run = new BackupRun();
        try {
            savedChats.open();
            backup.removeLeftoverTempFiles();
            Exchange result = template.send("direct:backup", exchange -> exchange.setProperty(BackupRun.PROPERTY, run));
            if (result.getException() != null) {
                console.error("The backup failed: " + result.getException().getMessage());
                run.failed(new BackupRun.Failure(null, null, "backup", String.valueOf(result.getException().getMessage())));
            }
        } catch (SavedChats.NewerFormatException e) {
            // Written by a newer claude-backup: nothing is asked of claude.ai, nothing in the folder is touched.
            console.error(e.getMessage());
            return ExitStatus.USAGE;
        } catch (IOException | RuntimeException e) {
            console.error("The backup failed: " + e.getMessage());
            run.failed(new BackupRun.Failure(null, null, "backup", String.valueOf(e.getMessage())));
        }
        run.finish();
        // Listeners go first, so that what they could not do (an upload, an email) is in the report and the summary.
        template.send(runFinishedEndpoint, exchange -> {
            exchange.setProperty(BackupRun.PROPERTY, run);
            exchange.getMessage().setHeader(STATUS_HEADER, run.exitStatus().name());
            exchange.getMessage().setBody(report.toJson(run).toString());
        });
        try {
            report.write(run);
        } catch (IOException e) {
            console.error("Cannot write the run report in " + backup.stateFolder() + ": " + e.getMessage());
        }
        console.info(run.summary());
        return run.exitStatus();
    }
}
