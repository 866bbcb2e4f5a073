package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** The README's example of a route of one's own ("Extending"), word for word, run with --routes and --config. */
class ExtendingExampleTest {

    /** my-routes/changes-log.camel.yaml in the README. */
    static final String EXAMPLE_ROUTE = """
            # One line per chat saved, appended to a log of your own.
            - route:
                id: changes-log
                description: Appends "time, NEW/UPDATED/RENAMED, uuid, path" to changes.log for each chat saved
                routeConfigurationId: listener-errors
                from:
                  uri: "{{events.chat-saved}}"
                  steps:
                    - setProperty:
                        name: listenerTask
                        simple: "log ${header.CamelFileName} in changes.log"
                    - setBody:
                        simple: '${date:now:yyyy-MM-dd HH:mm:ss}\\t${header.ClaudeBackupOutcome}\\t${exchangeProperty.chat.uuid}\\t${header.CamelFileName}\\n'
                    - to: "file:{{changes-log.folder}}?fileName=changes.log&fileExist=Append"
            """;

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;

    @BeforeEach
    void start() throws Exception {
        account = FakeClaudeApi.demoAccount();
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theExampleRouteLogsEachChatSaved() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("my-routes"));
        Files.writeString(routes.resolve("changes-log.camel.yaml"), EXAMPLE_ROUTE);
        Path logs = dir.resolve("logs");
        Path config = dir.resolve("my.properties");
        Files.writeString(config, "changes-log.folder=" + logs + "\n");
        Path backup = dir.resolve("backup");

        BackupRunner.Result first = BackupRunner.backup(api, backup, "--routes", routes.toString(), "--config", config.toString());
        String organization = account.organizations().get(0).uuid();
        SampleAccount.Chat renamed = account.chatList(organization).get(0);
        account.renameChat(organization, renamed.uuid(), "Renamed");
        BackupRunner.Result second = BackupRunner.backup(api, backup, "--routes", routes.toString(), "--config", config.toString());

        assertEquals(ExitStatus.OK, first.status(), first.toString());
        assertEquals(ExitStatus.OK, second.status(), second.toString());
        List<String> lines = Files.readAllLines(logs.resolve("changes.log"), StandardCharsets.UTF_8);
        assertEquals(10, lines.size(), lines.toString());
        assertEquals(9, lines.stream().filter(line -> line.split("\t")[1].equals("NEW")).count());
        String last = lines.get(9);
        assertTrue(last.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\tRENAMED\t" + renamed.uuid()
                + "\torganizations/[^/]+/chat_conversations/Renamed-" + renamed.uuid() + "\\.json"), last);
    }
}
