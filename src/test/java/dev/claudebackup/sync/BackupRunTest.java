package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.claudebackup.report.Console;

/** A run's outcome: how a stop and a refusal end it, its summary line, and the progress it moves. */
class BackupRunTest {

    @Test
    void aStopEndsTheRunAsIncompleteWithItsReason() {
        BackupRun run = new BackupRun();
        run.record("Home (org)", BackupRun.Outcome.NEW);
        run.stop("asked to stop");

        assertTrue(run.isAborted(), "nothing more is sent");
        assertTrue(run.isStopped());
        assertEquals(ExitStatus.SOME_FAILED, run.exitStatus());
        assertEquals("asked to stop", run.abortReason());
        assertTrue(run.summary().startsWith("Backup stopped: 1 new, 0 updated, 0 renamed, 0 unchanged, 0 failed, 0 deleted upstream in "),
                run.summary());
    }

    @Test
    void aRefusedKeyKeepsStatus3EvenWhenAStopFollows() {
        BackupRun run = new BackupRun();
        run.abort(ExitStatus.ACCESS_DENIED, "claude.ai refused the session key");
        run.stop("asked to stop");

        assertEquals(ExitStatus.ACCESS_DENIED, run.exitStatus());
        assertFalse(run.isStopped());
        assertEquals("claude.ai refused the session key", run.abortReason());
        assertTrue(run.summary().startsWith("Backup incomplete: "), run.summary());
    }

    @Test
    void theSummaryCountsEveryOutcomeAcrossOrganizations() {
        BackupRun run = new BackupRun();
        run.record("A", BackupRun.Outcome.NEW);
        run.record("B", BackupRun.Outcome.NEW);
        run.record("A", BackupRun.Outcome.UPDATED);
        run.record("B", BackupRun.Outcome.RENAMED);
        run.add("A", BackupRun.Outcome.UNCHANGED, 40);
        run.record("B", BackupRun.Outcome.DELETED_UPSTREAM);
        run.failed(new BackupRun.Failure("A", "0b0b0b0b-0000-4000-8000-000000000000", "x", "HTTP 500"));
        run.finish();

        assertEquals(ExitStatus.SOME_FAILED, run.exitStatus());
        assertTrue(run.summary().matches("Backup incomplete: 2 new, 1 updated, 1 renamed, 40 unchanged, 1 failed, 1 deleted upstream in \\d+\\.\\ds"),
                run.summary());
    }

    @Test
    void eachChatSavedOrFailedStepsItsOrganizationsProgressAndFinishClosesWhatIsLeft() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Console console = new Console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false).withProgressLines(Duration.ofHours(1));
        BackupRun run = new BackupRun(console);
        run.chatsToFetch("A", 2);
        run.chatsToFetch("B", 3);
        run.record("A", BackupRun.Outcome.NEW);
        run.failed(new BackupRun.Failure("A", "0b0b0b0b-0000-4000-8000-000000000000", "x", "HTTP 500"));
        run.record("B", BackupRun.Outcome.UPDATED);
        run.record("B", BackupRun.Outcome.UNCHANGED); // not fetched: no step
        run.failed(new BackupRun.Failure("B", null, "the list", "HTTP 500")); // not a chat: no step
        run.finish();

        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("A: 2 of 2 chats done in "), shown);
        assertTrue(shown.contains("B: stopped after 1 of 3 chats in "), shown);
    }
}
