package dev.claudebackup.sync;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import dev.claudebackup.report.Console;
import dev.claudebackup.report.RunReport;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.DamagedStateException;
import dev.claudebackup.store.RunLock;
import dev.claudebackup.store.SavedChats;

/**
 * One backup run around the {@code backup} route: it takes the folder's lock, sends the run through
 * the route, and then tells listeners the run finished, writes the report and prints the summary.
 * Runs never overlap, in one process (synchronized) or across processes (the lock).
 *
 * <p>{@link #stop} is how the process stops gracefully (SIGTERM, Ctrl-C): the run in progress starts
 * no new request, finishes the ones in flight and ends as usual, report and all; no run starts after.
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
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile String stopReason;
    /** The run going through the route now, or null. */
    private volatile BackupRun current;

    public BackupJob(ProducerTemplate template, BackupFolder backup, SavedChats savedChats, Console console,
                     RunReport report, String runFinishedEndpoint) {
        this.template = template;
        this.backup = backup;
        this.savedChats = savedChats;
        this.console = console;
        this.report = report;
        this.runFinishedEndpoint = runFinishedEndpoint;
    }

    /** One run; after {@link #stop}, none: it returns at once with exit status 1 (nothing was backed up). */
    public synchronized ExitStatus run() {
        if (isStopping()) {
            console.info("Stopped before the backup began");
            return ExitStatus.SOME_FAILED;
        }
        try {
            backup.requireNoPlantedLinks();
            backup.create();
        } catch (BackupFolder.PlantedLinkException e) {
            console.error("Refusing to back up into " + backup.root() + ": " + e.getMessage() + ".");
            return ExitStatus.USAGE;
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
            try {
                return runLocked();
            } finally {
                // the state is held in SQLite's exclusive mode while open: let go of it with the run lock,
                // so that between scheduled runs other tools can read it
                savedChats.close();
            }
        } catch (IOException e) {
            console.error("Cannot release the lock of " + backup.root() + ": " + e.getMessage());
            return ExitStatus.SOME_FAILED;
        }
    }

    /**
     * Stops gracefully: the current run (if any) sends nothing more, finishes what is in flight and
     * ends as incomplete; no run starts after. Safe to call from any thread, more than once.
     */
    public void stop(String reason) {
        if (stopReason != null) {
            return;
        }
        stopReason = reason;
        stopped.countDown();
        BackupRun run = current;
        if (run != null) {
            console.info("Stopping: finishing the chats being fetched; the next run fetches the rest");
            run.stop(reason);
        }
    }

    public boolean isStopping() {
        return stopReason != null;
    }

    /** Waits up to {@code timeout} for {@link #stop}; true when stopping. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    /**
     * The process cannot wait any longer for the run in progress (its requests are stuck): the run is
     * reported as it stands. Returns its exit status, or null when no run is in progress.
     */
    public ExitStatus abandon() {
        BackupRun run = current;
        if (run == null) {
            return null;
        }
        run.stop(stopReason == null ? "abandoned" : stopReason);
        run.finish();
        writeReport(run);
        console.error("Stopped without waiting for the requests still in flight; the next run fetches what they were fetching");
        return run.exitStatus();
    }

    private ExitStatus runLocked() {
        BackupRun run = new BackupRun(console);
        current = run;
        if (stopReason != null) {
            run.stop(stopReason); // stop() came between the check in run() and now
        }
        try {
            openState();
            LostChatFiles.notice(savedChats, backup, console);
            backup.removeLeftoverTempFiles();
            if (!run.isAborted()) {
                Exchange result = template.send("direct:backup", exchange -> exchange.setProperty(BackupRun.PROPERTY, run));
                if (result.getException() != null) {
                    console.error("The backup failed: " + result.getException().getMessage());
                    run.failed(new BackupRun.Failure(null, null, "backup", String.valueOf(result.getException().getMessage())));
                }
            }
        } catch (SavedChats.NewerFormatException e) {
            // Written by a newer claude-backup: nothing is asked of claude.ai, nothing in the folder is touched.
            console.error(e.getMessage());
            return ExitStatus.USAGE;
        } catch (IOException | RuntimeException e) {
            console.error("The backup failed: " + e.getMessage());
            run.failed(new BackupRun.Failure(null, null, "backup", String.valueOf(e.getMessage())));
        } finally {
            current = null;
        }
        commitRecords();
        run.finish();
        // The report first, so that a stop while a listener (email, git) works never leaves the previous
        // run's; written again after them when they failed, so that what they could not do is in it too.
        writeReport(run);
        int failuresBefore = run.failures().size();
        template.send(runFinishedEndpoint, exchange -> {
            exchange.setProperty(BackupRun.PROPERTY, run);
            exchange.getMessage().setHeader(STATUS_HEADER, run.exitStatus().name());
            exchange.getMessage().setBody(report.toJson(run).toString());
        });
        if (run.failures().size() != failuresBefore) {
            writeReport(run);
        }
        try {
            backup.endedCleanly();
        } catch (IOException e) {
            // the next run looks for leftover temporary files, as after a kill
        }
        console.info(run.summary());
        return run.exitStatus();
    }

    /** Every chat saved is recorded and printed before the summary. */
    private void commitRecords() {
        try {
            savedChats.commit();
        } catch (IllegalStateException e) {
            console.error(e.getMessage() + "; the next run fetches the last chats saved again");
        }
    }

    /**
     * Opens the state; one that is damaged (not a database, or corrupt) is moved aside, never deleted,
     * and a new one is made: each organization's chat files are then adopted as they are (see
     * OrganizationFolders.adopt), so the run fetches only what changed.
     */
    private void openState() throws IOException {
        try {
            savedChats.open();
        } catch (DamagedStateException damaged) {
            Path aside = savedChats.setAsideDamaged();
            console.error(damaged.getMessage() + ". Moved it aside to " + aside.getFileName()
                    + " and rebuilding the state from the chat files: chats that did not change are not fetched again.");
            savedChats.open();
        }
    }

    private void writeReport(BackupRun run) {
        try {
            report.write(run);
        } catch (IOException e) {
            console.error("Cannot write the run report in " + backup.stateFolder() + ": " + e.getMessage());
        }
    }
}
