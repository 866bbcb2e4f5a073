package dev.claudebackup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * {@code last-run.json} describes the run before its run-finished listeners (email, git) start: a stop
 * while one of them works never leaves the previous run's report.
 */
class ReportBeforeListenersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** The listener: copies last-run.json as it finds it. */
    public static final class CopyTheReport {
        static volatile Path from;
        static volatile Path to;

        public void copy() throws java.io.IOException {
            Files.createDirectories(to.getParent());
            if (Files.exists(from)) {
                Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void aRunFinishedListenerFindsThisRunsReportInPlace() throws Exception {
        Path backup = dir.resolve("backup");
        Path seen = dir.resolve("seen");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("copy-report.camel.yaml"), """
                - route:
                    id: copy-the-report
                    from:
                      uri: "{{events.run-finished}}"
                      steps:
                        - bean:
                            beanType: dev.claudebackup.report.ReportBeforeListenersTest$CopyTheReport
                            method: copy
                """);
        CopyTheReport.from = backup.resolve(".claude-backup/last-run.json");
        CopyTheReport.to = seen.resolve("report-seen-by-the-listener.json");
        try (FakeClaudeApi api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY)) {
            assertEquals(ExitStatus.OK, BackupRunner.backup(api, backup).status(), "a first run, whose report is there before");
            Thread.sleep(10); // another started_at

            BackupRunner.Result second = BackupRunner.backup(api, backup, "--routes", routes.toString());

            assertEquals(ExitStatus.OK, second.status(), second.toString());
        }
        JsonNode final_ = MAPPER.readTree(backup.resolve(".claude-backup/last-run.json").toFile());
        Path copy = seen.resolve("report-seen-by-the-listener.json");
        assertTrue(Files.exists(copy), "the listener found a report");
        JsonNode atTheListener = MAPPER.readTree(copy.toFile());
        assertEquals(final_.path("started_at").asText(), atTheListener.path("started_at").asText(), "this run's, not the one before");
        assertEquals(0, atTheListener.path("totals").path("new").asInt());
    }
}
