package dev.claudebackup.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** .claude-backup/last-run.json, what monitoring reads: after a good run, a failed one and a refused one. */
class RunReportTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    SampleAccount.Organization personal;
    SampleAccount.Organization team;

    @BeforeEach
    void startApi() throws Exception {
        account = FakeClaudeApi.demoAccount();
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        personal = account.organizations().get(0);
        team = account.organizations().get(1);
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private JsonNode report(Path backup) throws Exception {
        return MAPPER.readTree(backup.resolve(".claude-backup/last-run.json").toFile());
    }

    private static String label(SampleAccount.Organization organization) {
        return organization.name() + " (" + organization.uuid() + ")";
    }

    @Test
    void afterAGoodRunItHasTheTimesTheOptionsTheCountsPerOrganizationAndStatus0() throws Exception {
        Path backup = dir.resolve("backup");
        Instant before = Instant.now();
        BackupRunner.Result result = BackupRunner.backup(api, backup, "--connections", "3");
        Instant after = Instant.now();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        JsonNode report = report(backup);
        Instant started = Instant.parse(report.path("started_at").asText());
        Instant finished = Instant.parse(report.path("finished_at").asText());
        assertFalse(started.isBefore(before.minusMillis(1)) || finished.isAfter(after.plusMillis(1)) || finished.isBefore(started),
                started + " .. " + finished);
        assertEquals(0, report.path("exit_status").asInt(-1));
        assertEquals("ok", report.path("status").asText());
        assertEquals("3", report.path("options").path("backup.connections").asText(), "the options in force, as given");
        assertEquals(api.baseUrl(), report.path("options").path("claude.base-url").asText());
        assertEquals(backup.toString(), report.path("options").path("backup.dir").asText());
        assertEquals(7, report.path("organizations").path(label(personal)).path("new").asInt());
        assertEquals(2, report.path("organizations").path(label(team)).path("new").asInt());
        assertEquals(9, report.path("totals").path("new").asInt());
        assertEquals(0, report.path("failures").size());
        assertFalse(report.has("stopped_because"));
    }

    @Test
    void afterAFailedRunItListsEachFailureWithUuidNameAndReasonAndStatus1() throws Exception {
        SampleAccount.Chat broken = account.chatList(team.uuid()).get(0);
        api.intercept(request -> request.path().endsWith("/chat_conversations/" + broken.uuid())
                ? Optional.of(FakeClaudeApi.Response.json(500, "{\"error\":\"boom\"}")) : Optional.empty());
        Path backup = dir.resolve("backup");

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--retries", "0");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        JsonNode report = report(backup);
        assertEquals(1, report.path("exit_status").asInt());
        assertEquals("some_failed", report.path("status").asText());
        assertEquals(1, report.path("failures").size(), report.toPrettyString());
        JsonNode failure = report.path("failures").get(0);
        assertEquals(broken.uuid(), failure.path("uuid").asText());
        assertEquals(broken.name(), failure.path("name").asText());
        assertEquals(label(team), failure.path("organization").asText());
        assertTrue(failure.path("reason").asText().contains("500"), failure.toString());
        assertEquals(1, report.path("organizations").path(label(team)).path("failed").asInt());
        assertEquals(1, report.path("organizations").path(label(team)).path("new").asInt());
        assertTrue(result.stderr().contains("Backup incomplete: 8 new, 0 updated, 0 renamed, 0 unchanged, 1 failed, 0 deleted upstream, files: 1 saved"),
                result.stderr());
    }

    @Test
    void aRefusedKeyIsReportedWithStatus3AndWhy() throws Exception {
        Path backup = dir.resolve("backup");
        var environment = BackupRunner.environment();
        environment.put("CLAUDE_SESSION_KEY", "sk-ant-sid01-WRONG-fake-key");

        BackupRunner.Result result = BackupRunner.run(environment, "--base-url", api.baseUrl(), "--retries", "0", backup.toString());

        assertEquals(ExitStatus.ACCESS_DENIED, result.status(), result.toString());
        JsonNode report = report(backup);
        assertEquals(3, report.path("exit_status").asInt());
        assertFalse(report.path("stopped_because").asText().isBlank(), report.toPrettyString());
    }

    @Test
    void itIsReplacedWholeEachRunPrivateAndNeverHoldsTheKey() throws Exception {
        Path backup = dir.resolve("backup");
        Path config = dir.resolve("claude-backup.properties");
        // A careless --config file: a key under a made-up name must not reach the report.
        Files.writeString(config, "claude.session-key=" + BackupRunner.SESSION_KEY + "\nbackup.note=" + BackupRunner.SESSION_KEY + "\n");
        BackupRunner.backup(api, backup);
        String first = report(backup).path("started_at").asText();

        BackupRunner.backup(api, backup, "--config", config.toString());

        Path file = backup.resolve(".claude-backup/last-run.json");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(text.contains(BackupRunner.SESSION_KEY), text);
        assertFalse(text.contains("sk-ant-"), text);
        assertFalse(first.equals(report(backup).path("started_at").asText()), "the second run's report replaced the first");
        assertEquals(9, report(backup).path("totals").path("unchanged").asInt());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var names = Files.list(backup.resolve(".claude-backup"))) {
            List<String> left = names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".part-")).toList();
            assertEquals(List.of(), left, "no temporary file is left");
        }
    }
}
