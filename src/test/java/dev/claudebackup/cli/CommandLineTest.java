package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** The options, their defaults, and the configuration layers, observed at the loopback server. */
class CommandLineTest {

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    SampleAccount.Organization organization;

    @BeforeEach
    void startApi() throws Exception {
        account = new SampleAccount();
        organization = account.addOrganization("Home", "chat");
        for (int i = 0; i < 5; i++) {
            account.addChat(organization.uuid(), "Chat " + i, 1, false);
        }
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    @Test
    void helpShowsThePythonToolsOptionsWithTheirDefaults() {
        BackupRunner.Result result = BackupRunner.run(Map.of(), "--help");

        assertEquals(ExitStatus.OK, result.status());
        String help = result.stdout().replaceAll("\\s+", " ");
        for (String expected : List.of("-c, --connections=N", "default: 6", "-s, -d, --success-delay=SECONDS", "default: 0.1",
                "-r, --retries=N", "default: 10", "--min-retry-delay", "default: 1.0", "--max-retry-delay", "default: 60.0",
                "--ignore-cache", "-v, --version", "-h, --help", "--base-url", "(default: https://claude.ai)", "--routes", "--verbose",
                "--demo", "BACKUP_DIR", "Exit status")) {
            assertTrue(help.contains(expected), "help shows " + expected + ":\n" + help);
        }
    }

    @Test
    void versionPrintsTheNameAndExitsZero() {
        BackupRunner.Result result = BackupRunner.run(Map.of(), "--version");
        assertEquals(ExitStatus.OK, result.status());
        assertTrue(result.stdout().startsWith("claude-backup "), result.stdout());
    }

    @Test
    void withoutASessionKeyItSaysHowToGetOneAndExitsTwo() {
        Map<String, String> environment = Map.of("HOME", dir.toString());
        BackupRunner.Result result = BackupRunner.run(environment, "--base-url", api.baseUrl(), dir.resolve("b").toString());

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.stderr().contains("sessionKey"), result.stderr());
        assertTrue(result.stderr().contains("CLAUDE_SESSION_KEY"), result.stderr());
        assertTrue(api.requests().isEmpty(), "nothing is asked of claude.ai");
    }

    @Test
    void aBadOptionIsAUsageErrorAndExitsTwo() {
        BackupRunner.Result unknown = BackupRunner.run(BackupRunner.environment(), "--no-such-option");
        assertEquals(ExitStatus.USAGE, unknown.status());
        assertTrue(unknown.stderr().contains("--no-such-option"), unknown.stderr());

        BackupRunner.Result notANumber = BackupRunner.run(BackupRunner.environment(), "--connections", "many");
        assertEquals(ExitStatus.USAGE, notANumber.status());

        BackupRunner.Result zero = BackupRunner.run(BackupRunner.environment(), "--base-url", api.baseUrl(), "-c", "0",
                dir.resolve("b").toString());
        assertEquals(ExitStatus.USAGE, zero.status(), zero.toString());
        assertTrue(zero.stderr().contains("backup.connections must be at least 1"), zero.stderr());
        assertTrue(api.requests().isEmpty());
    }

    @Test
    void ignoreCacheOnAScheduleIsRefused() {
        BackupRunner.Result result = BackupRunner.run(BackupRunner.environment(), "--base-url", api.baseUrl(),
                "--ignore-cache", "--schedule", "0 17 * * * ?", dir.resolve("b").toString());

        assertEquals(ExitStatus.USAGE, result.status(), result.toString());
        assertTrue(result.stderr().contains("--ignore-cache cannot be used with --schedule"), result.stderr());
        assertTrue(api.requests().isEmpty());
    }

    @Test
    void theBaseUrlComesFromTheEnvironmentWhenNotGiven() {
        Map<String, String> environment = new java.util.HashMap<>(BackupRunner.environment());
        environment.put("CLAUDE_BASE_URL", api.baseUrl());
        BackupRunner.Result result = BackupRunner.run(environment, "-s", "0", dir.resolve("b").toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(5, result.stdoutLines().size());
    }

    @Test
    void aConfigFileOverridesTheBuiltInPropertiesAndTheCommandLineOverridesBoth() throws Exception {
        Path config = dir.resolve("claude-backup.properties");
        Files.writeString(config, "claude.api.page-size=2\nbackup.connections=1\n");
        Map<String, String> environment = new java.util.HashMap<>(BackupRunner.environment());
        environment.put("BACKUP_CONNECTIONS", "3");

        BackupRunner.Result result = BackupRunner.backup(api, dir.resolve("b"), "--config", config.toString(), "-c", "2");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        List<String> limits = api.requests().stream().filter(r -> r.path().endsWith("/chat_conversations"))
                .map(r -> r.query().get("limit")).toList();
        assertEquals(List.of("2", "3", "3"), limits, "page size 2 from the config file; later pages overlap by one");
        String report = Files.readString(dir.resolve("b/.claude-backup/last-run.json"));
        assertTrue(report.contains("\"backup.connections\" : \"2\""), "the command line wins: " + report);
    }

    @Test
    void theEnvironmentOverridesTheConfigFile() throws Exception {
        Path config = dir.resolve("claude-backup.properties");
        Files.writeString(config, "claude.api.page-size=2\n");
        Map<String, String> environment = new java.util.HashMap<>(BackupRunner.environment());
        environment.put("CLAUDE_API_PAGE_SIZE", "4");

        BackupRunner.Result result = BackupRunner.run(environment, "--base-url", api.baseUrl(), "-s", "0",
                "--config", config.toString(), dir.resolve("b").toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals("4", api.requests().stream().filter(r -> r.path().endsWith("/chat_conversations")).findFirst()
                .orElseThrow().query().get("limit"));
    }

    @Test
    void successDelayAcceptsTheDashDAlias() {
        BackupRunner.Result result = BackupRunner.run(BackupRunner.environment(), "--base-url", api.baseUrl(), "-d", "0",
                dir.resolve("b").toString());
        assertEquals(ExitStatus.OK, result.status(), result.toString());
    }

    @Test
    void theNamesThatMakeTheOtherCommandsAreTheirOwn() {
        java.util.Set<String> names = new java.util.HashSet<>();
        ClaudeBackup.SUBCOMMANDS.forEach(command ->
                names.add(command.get().getClass().getAnnotation(picocli.CommandLine.Command.class).name()));
        assertEquals(names, ClaudeBackup.SUBCOMMAND_NAMES);
    }

    @Test
    void aCommandOrHelpInsideAnArgfileOrAClusterIsStillSeen() throws Exception {
        Path args = Files.writeString(dir.resolve("args"), "verify --help\n");

        BackupRunner.Result fromFile = BackupRunner.run(Map.of(), "@" + args);
        assertEquals(ExitStatus.OK, fromFile.status(), fromFile.stderr());
        assertTrue(fromFile.stdout().contains("Usage: claude-backup verify"), fromFile.stdout());

        BackupRunner.Result cluster = BackupRunner.run(Map.of(), "-qh");
        assertEquals(ExitStatus.OK, cluster.status(), cluster.stderr());
        assertTrue(cluster.stdout().contains("search"), "the help lists the other commands:\n" + cluster.stdout());
    }
}
