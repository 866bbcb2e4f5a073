package dev.claudebackup.cli;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Date;

import org.quartz.CronExpression;

import dev.claudebackup.cli.Configuration.ConfigurationException;
import dev.claudebackup.report.Console;
import dev.claudebackup.sync.BackupJob;
import dev.claudebackup.sync.ExitStatus;

/**
 * Schedule mode ({@code --schedule CRON}): the process keeps running and backs up whenever the Quartz
 * cron expression says, in the JVM's time zone (TZ). One thread waits for the next time, runs the job,
 * and only then looks for the next time: runs never overlap, and times missed while a long run was
 * going are skipped, not piled up.
 *
 * <p>It ends when the job is stopped (SIGTERM, Ctrl-C), with status 0: stopping is what was asked, and
 * an interrupted run says so in its report. It also ends when claude.ai refuses the session key, with
 * status 3, since every later run would be refused too. Any other failure waits for the next time.
 */
final class Schedule {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    private Schedule() {
    }

    /** Reads the expression, or says what a Quartz cron expression looks like: exit status 2. */
    static CronExpression parse(String cron) throws ConfigurationException {
        try {
            return new CronExpression(cron.trim());
        } catch (ParseException | IllegalArgumentException e) {
            throw new ConfigurationException("The schedule \"" + cron + "\" is not a Quartz cron expression (" + e.getMessage()
                    + "). It has six or seven fields: seconds minutes hours day-of-month month day-of-week [year],"
                    + " with ? for one of the two days, e.g. \"0 0 * * * ?\" for every hour.");
        }
    }

    static ExitStatus run(BackupJob job, CronExpression cron, Console console) throws InterruptedException {
        while (true) {
            Date next = cron.getNextValidTimeAfter(new Date());
            if (next == null) {
                console.info("The schedule \"" + cron.getCronExpression() + "\" has no more times; exiting");
                return ExitStatus.OK;
            }
            console.info("Next backup at " + TIME.format(next.toInstant().atZone(ZoneId.systemDefault())));
            if (job.awaitStop(Duration.between(Instant.now(), next.toInstant()))) {
                return ExitStatus.OK;
            }
            ExitStatus status = job.run();
            if (status == ExitStatus.ACCESS_DENIED) {
                console.error("Ending the schedule: every later run would be refused too. Give claude-backup a new session key.");
                return status;
            }
            if (job.isStopping()) {
                return ExitStatus.OK;
            }
        }
    }
}
