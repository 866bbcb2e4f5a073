package dev.claudebackup.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.claudebackup.sync.BackupRun;
import dev.claudebackup.sync.ExitStatus;

/** The run's file counts: in the summary only when there were files; a failed file fails the run, no chat. */
class FileCountsTest {

    @Test
    void theSummaryCountsFilesAndBytes() {
        BackupRun run = new BackupRun();
        assertTrue(run.summary().matches("Backup complete: 0 new, 0 updated, 0 renamed, 0 unchanged, 0 failed, 0 deleted upstream in \\d+\\.\\ds"),
                "no files, no word of them: " + run.summary());

        run.fileSaved(1_200_000);
        run.fileSaved(34_500);
        run.fileNotSaved(new BackupRun.FileNote("Personal (o)", "chat", "c", "A chat", "f1", "a.png", BackupRun.FileOutcome.UNAVAILABLE, "HTTP 404"));
        assertEquals(ExitStatus.OK, run.exitStatus(), "a file gone from claude.ai is no failure");
        run.fileNotSaved(new BackupRun.FileNote("Personal (o)", "chat", "c", "A chat", "f2", "b.png", BackupRun.FileOutcome.FAILED, "HTTP 503"));

        assertTrue(run.summary().matches("Backup incomplete: 0 new, 0 updated, 0 renamed, 0 unchanged, 0 failed, 0 deleted upstream,"
                + " files: 2 saved \\(1\\.2 MB\\), 1 unavailable, 1 failed in \\d+\\.\\ds"), run.summary());
        assertEquals(ExitStatus.SOME_FAILED, run.exitStatus());
        assertEquals(0, run.total(BackupRun.Outcome.FAILED), "no chat failed");
        assertEquals(1, run.failures().size());
        assertEquals("f2", run.failures().get(0).uuid());
    }

    @Test
    void sizesForPeople() {
        assertEquals("999 B", BackupRun.bytes(999));
        assertEquals("1.0 kB", BackupRun.bytes(1000));
        assertEquals("209.7 MB", BackupRun.bytes(200L * 1024 * 1024));
        assertEquals("1.0 GB", BackupRun.bytes(999_999_999));
        assertEquals("3.0 TB", BackupRun.bytes(3_000_000_000_000L));
    }
}
