package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
import dev.claudebackup.testing.BackupTree;

/**
 * The seam: routes of the user's own (--routes DIR) listening to the events, against the real routes
 * and the loopback API. Each listener gets every event, the run waits for them, and a listener that
 * fails costs the run its exit status 0 but never a chat.
 */
class EventsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    Path backup;
    Path routes;
    Path heard;

    @BeforeEach
    void start() throws Exception {
        account = FakeClaudeApi.demoAccount();
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        backup = dir.resolve("backup");
        routes = Files.createDirectories(dir.resolve("routes"));
        heard = Files.createDirectories(dir.resolve("heard"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void everyListenerGetsEveryEventInOrderAndTheRunWaitsForThem() throws Exception {
        // Two listeners of each event; the first of chat-saved is slow: were the run not waiting for it,
        // backup-written would be heard before some of the chats.
        Files.writeString(routes.resolve("listeners.camel.yaml"), listener("a", "{{events.chat-saved}}", 200,
                "${header.ClaudeBackupOutcome} ${header.CamelFileName}")
                + listener("b", "{{events.chat-saved}}", 0, "${header.ClaudeBackupOutcome} ${header.CamelFileName}")
                + listener("a-written", "{{events.backup-written}}", 0, "backup-written")
                + listener("b-written", "{{events.backup-written}}", 0, "backup-written")
                + listener("a-finished", "{{events.run-finished}}", 0, "run-finished ${header.ClaudeBackupStatus}")
                + listener("b-finished", "{{events.run-finished}}", 0, "run-finished ${header.ClaudeBackupStatus}"));

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--routes", routes.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        Set<String> chats = new HashSet<>();
        BackupTree.chatFiles(backup).keySet().forEach(path -> chats.add("NEW " + path));
        for (String listener : List.of("a", "b")) {
            List<String> lines = Files.readAllLines(heard.resolve(listener + ".txt"), StandardCharsets.UTF_8);
            assertEquals(chats.size() + 2, lines.size(), listener + " heard " + lines);
            assertEquals(chats, new HashSet<>(lines.subList(0, chats.size())), "every chat, each once, first");
            assertEquals(List.of("backup-written", "run-finished OK"), lines.subList(chats.size(), lines.size()));
        }
    }

    @Test
    void anExceptionAListenerLetsThroughStaysWithIt() throws Exception {
        Files.writeString(routes.resolve("failing.camel.yaml"), """
                - route:
                    id: failing-listener
                    from:
                      uri: "{{events.chat-saved}}"
                      steps:
                        - filter:
                            simple: "${exchangeProperty.chat.name} contains 'falafel'"
                            steps:
                              - throwException:
                                  exceptionType: java.lang.IllegalStateException
                                  message: the listener broke
                """);

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--routes", routes.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertTrue(result.stderr().contains("IllegalStateException: the listener broke"), "Camel logs it: " + result.stderr());
        assertEquals(9, BackupTree.chatFiles(backup).size());
    }

    @Test
    void aListenerWithListenerErrorsFailsTheRunButNotTheChat() throws Exception {
        SampleAccount.Chat falafel = chatNamed("falafel");
        Files.writeString(routes.resolve("failing.camel.yaml"), """
                - route:
                    id: wiki-listener
                    routeConfigurationId: listener-errors
                    from:
                      uri: "{{events.chat-saved}}"
                      steps:
                        - setProperty:
                            name: listenerTask
                            simple: "tell the wiki about ${exchangeProperty.chat.name}"
                        - filter:
                            simple: "${exchangeProperty.chat.name} contains 'falafel'"
                            steps:
                              - throwException:
                                  exceptionType: java.lang.IllegalStateException
                                  message: the wiki is down
                """);

        BackupRunner.Result first = BackupRunner.backup(api, backup, "--routes", routes.toString());

        assertEquals(ExitStatus.SOME_FAILED, first.status(), first.toString());
        assertTrue(first.stderr().contains("Could not tell the wiki about " + falafel.name() + ": IllegalStateException: the wiki is down"),
                first.stderr());
        assertTrue(first.stdout().contains(falafel.uuid() + "\t" + falafel.name()), "the chat was saved: " + first.stdout());
        JsonNode report = report();
        assertEquals(1, report.path("failures").size(), report.toPrettyString());
        assertEquals(falafel.uuid(), report.path("failures").get(0).path("uuid").asText());
        assertEquals(9, report.path("totals").path("new").asInt(), "every chat counts as saved");

        api.clearRequests();
        BackupRunner.Result second = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertTrue(api.requests().stream().noneMatch(request -> request.path().endsWith(falafel.uuid())),
                "the chat is not fetched again: " + api.requests());
    }

    @Test
    void aRunFinishedListenerThatFailsIsInTheReportAndTheExitStatus() throws Exception {
        Files.writeString(routes.resolve("failing.camel.yaml"), """
                - route:
                    id: failing-at-the-end
                    routeConfigurationId: listener-errors
                    from:
                      uri: "{{events.run-finished}}"
                      steps:
                        - setProperty:
                            name: listenerTask
                            constant: archive the report
                        - throwException:
                            exceptionType: java.io.IOException
                            message: the disk of the listener is full
                """);

        BackupRunner.Result result = BackupRunner.backup(api, backup, "--routes", routes.toString());

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains("Could not archive the report: IOException: the disk of the listener is full"), result.stderr());
        assertTrue(result.stderr().contains("Backup incomplete"), "the summary counts it: " + result.stderr());
        JsonNode report = report();
        assertEquals("some_failed", report.path("status").asText(), report.toPrettyString());
        assertEquals("failing-at-the-end", report.path("failures").get(0).path("name").asText());
    }

    private SampleAccount.Chat chatNamed(String part) {
        return account.chatList(account.organizations().get(0).uuid()).stream()
                .filter(chat -> chat.name().contains(part)).findFirst().orElseThrow();
    }

    private JsonNode report() throws java.io.IOException {
        return MAPPER.readTree(backup.resolve(".claude-backup/last-run.json").toFile());
    }

    /** A route that appends one line per event to heard/NAME.txt, after a pause. */
    private String listener(String name, String event, int delayMillis, String line) {
        String file = heard.resolve(name.replaceAll("-.*", "") + ".txt").toString();
        List<String> steps = new ArrayList<>();
        if (delayMillis > 0) {
            steps.add("        - delay:\n            constant: " + delayMillis + "\n");
        }
        // Single quotes: YAML leaves \n to Simple, which makes it a newline after trimming the expression.
        steps.add("        - setBody:\n            simple: '" + line + "\\n'\n");
        steps.add("        - to: \"file:" + Path.of(file).getParent() + "?fileName=" + Path.of(file).getFileName() + "&fileExist=Append\"\n");
        return "- route:\n    id: listener-" + name + "\n    from:\n      uri: \"" + event + "\"\n      steps:\n" + String.join("", steps);
    }
}
