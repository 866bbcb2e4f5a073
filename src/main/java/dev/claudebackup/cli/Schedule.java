package dev.claudebackup.cli;

import dev.claudebackup.report.Console;
import dev.claudebackup.sync.ExitStatus;

/** Schedule mode: the process keeps running and backs up on a cron schedule. */
final class Schedule {

    private Schedule() {
    }

    static ExitStatus run(BackupApplication application, String cron, Console console) throws Exception {
        throw new Configuration.ConfigurationException("--schedule is not available yet");
    }
}
