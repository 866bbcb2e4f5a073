package dev.claudebackup.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.claudebackup.sync.BackupJob;
import dev.claudebackup.sync.ExitStatus;

/**
 * A graceful stop on SIGTERM (Kubernetes, docker stop, kill) or Ctrl-C. The JVM runs shutdown hooks on
 * those signals while the main thread goes on; the hook asks the job to stop (no new request, the
 * ones in flight finish, the run is reported), waits for the main thread to finish, closing Camel, and
 * then ends the process with the status the main thread reached, not the signal's 143.
 *
 * <p>The wait is bounded ({@code backup.stop-timeout}): a request stuck in its retries must not keep
 * the process past Kubernetes' grace period. When the wait runs out the run is reported as it stands
 * and the process ends with status 1, or 0 in schedule mode (a stop is what was asked there); nothing half-written is ever left (files are renamed into place,
 * and a chat is recorded only once its file is), so the next run completes the backup.
 */
public final class Shutdown {

    static final String REASON = "the process was asked to stop (SIGTERM or Ctrl-C)";

    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ExitStatus status = ExitStatus.SOME_FAILED;
    private volatile Duration timeout = Duration.ofSeconds(25);
    private volatile boolean requested;
    /** Schedule mode: a stop ends the process with 0, even when it cannot wait for the run in flight. */
    private volatile boolean scheduled;
    private volatile BackupJob job;

    /** A shutdown that only {@link #request} triggers: for a command run inside another program (tests). */
    public Shutdown() {
    }

    /** A shutdown triggered by the process's signals. */
    static Shutdown onSignals() {
        Shutdown shutdown = new Shutdown();
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown::signalled, "claude-backup-shutdown"));
        return shutdown;
    }

    void timeout(Duration timeout) {
        this.timeout = timeout;
    }

    void scheduled() {
        this.scheduled = true;
    }

    /** The job to stop; stopped at once if the stop came before it existed (during start-up). */
    void guard(BackupJob job) {
        this.job = job;
        if (requested) {
            job.stop(REASON);
        }
    }

    /** Stops gracefully, as SIGTERM does. */
    public void request() {
        requested = true;
        BackupJob guarded = job;
        if (guarded != null) {
            guarded.stop(REASON);
        }
    }

    /** The main thread is done, Camel closed: a signal from now on has nothing to wait for. */
    void finished(ExitStatus status) {
        this.status = status;
        finished.countDown();
    }

    private void signalled() {
        if (finished.getCount() == 0) {
            return; // an ordinary System.exit: its status stands
        }
        request();
        try {
            if (!finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                BackupJob guarded = job;
                ExitStatus abandoned = guarded == null ? null : guarded.abandon();
                ExitStatus forced = scheduled ? ExitStatus.OK : abandoned == null ? ExitStatus.SOME_FAILED : abandoned;
                Runtime.getRuntime().halt(forced.code());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // System.exit would wait for this very hook; halt ends the process with the status reached.
        Runtime.getRuntime().halt(status.code());
    }
}
