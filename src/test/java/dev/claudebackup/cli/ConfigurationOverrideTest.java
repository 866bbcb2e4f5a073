package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/**
 * Overrides observed where they take effect, at the server: an environment variable changes how hard
 * claude.ai is asked, and a Camel component option whose name has a dash (which Camel's own environment
 * mapping misses) applies too. The order of the layers is in CommandLineTest.
 */
class ConfigurationOverrideTest {

    @TempDir
    Path dir;
    FakeClaudeApi api;

    @BeforeEach
    void startApi() throws Exception {
        api = new FakeClaudeApi(FakeClaudeApi.demoAccount(), BackupRunner.SESSION_KEY);
        api.latency(60); // long enough for parallel fetches to overlap at the server
    }

    @AfterEach
    void stopApi() {
        api.close();
    }

    private BackupRunner.Result backup(Map<String, String> extraEnvironment, String... args) {
        Map<String, String> environment = BackupRunner.environment();
        environment.putAll(extraEnvironment);
        List<String> all = new ArrayList<>(List.of("--base-url", api.baseUrl(), "--success-delay", "0", "--retries", "0"));
        all.addAll(List.of(args));
        all.add(dir.resolve("backup").toString());
        BackupRunner.Result result = BackupRunner.run(environment, all.toArray(String[]::new));
        return result;
    }

    private JsonNode reportedOptions() throws Exception {
        return new ObjectMapper().readTree(dir.resolve("backup/.claude-backup/last-run.json").toFile()).path("options");
    }

    @Test
    void theBuiltInConnectionsAreUsedWhenNothingOverridesThem() {
        assertEquals(ExitStatus.OK, backup(Map.of()).status());
        assertTrue(api.maxInFlight() > 2, "6 connections by default, " + api.maxInFlight() + " seen");
    }

    @Test
    void anEnvironmentVariableOverridesTheBuiltInValue() throws Exception {
        assertEquals(ExitStatus.OK, backup(Map.of("BACKUP_CONNECTIONS", "1")).status());
        assertEquals(1, api.maxInFlight());
        assertEquals("1", reportedOptions().path("backup.connections").asText());
    }

    @Test
    void aCamelComponentOptionWithADashTakesEffectFromTheEnvironment() {
        // claude.ai answers a chat slower than the response timeout: each chat fails with a timeout.
        api.latency(0);
        api.intercept(request -> {
            if (request.path().contains("/chat_conversations/")) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.empty();
        });
        BackupRunner.Result result = backup(Map.of("CAMEL_COMPONENT_HTTP_RESPONSE_TIMEOUT", "300",
                "CAMEL_COMPONENT_HTTP_SO_TIMEOUT", "300"));

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().toLowerCase().contains("timeout") || result.stderr().toLowerCase().contains("timed out"), result.stderr());
    }

    @Test
    void aCamelOptionInAConfigFileTakesEffect() throws Exception {
        api.latency(0);
        api.intercept(request -> {
            if (request.path().contains("/chat_conversations/")) {
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Optional.empty();
        });
        Path config = dir.resolve("mounted-configmap.properties");
        Files.writeString(config, "camel.component.http.response-timeout=300\ncamel.component.http.so-timeout=300\n");

        BackupRunner.Result result = backup(Map.of(), "--config", config.toString());

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().toLowerCase().contains("timeout") || result.stderr().toLowerCase().contains("timed out"), result.stderr());
    }

    @Test
    void anEnvironmentVariableAlsoOverridesAPropertyOnlyTheConfigFileNames() throws Exception {
        Path config = dir.resolve("extra.properties");
        Files.writeString(config, "camel.component.seda.queue-size=100\n");

        Configuration configuration = Configuration.load(config, Map.of("CAMEL_COMPONENT_SEDA_QUEUE_SIZE", "7"), Map.of());

        assertEquals("7", configuration.get("camel.component.seda.queue-size"));
    }

    @Test
    void claudeApiSettingsFollowTheEnvironmentToo() {
        BackupRunner.Result result = backup(Map.of("CLAUDE_USER_AGENT", "claude-backup-test-agent/1.0"));
        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(api.requests().stream().allMatch(r -> "claude-backup-test-agent/1.0".equals(r.header("User-Agent"))));
    }

    @Test
    void aConfigFileThatCannotBeReadIsBadConfiguration() {
        BackupRunner.Result result = backup(Map.of(), "--config", dir.resolve("missing.properties").toString());
        assertEquals(ExitStatus.USAGE, result.status());
        assertTrue(result.stderr().contains("Cannot read the configuration file"), result.stderr());
        assertEquals(0, api.requests().size(), "nothing was asked of claude.ai");
    }
}
