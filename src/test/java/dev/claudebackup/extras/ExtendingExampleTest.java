package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** The README's example of a route of one's own ("Extending"), read from the README, run with --routes and --config. */
class ExtendingExampleTest {

    /** The README's example, read from the README itself: what a reader copies is what is run. */
    record Example(String routeFile, String route, String property) {
        static Example fromReadme() throws java.io.IOException {
            String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
            int section = readme.indexOf("### A route of your own");
            assertTrue(section >= 0, "the README has its section \"A route of your own\"");
            String route = block(readme, "```yaml\n", section);
            Matcher name = Pattern.compile("^# my-routes/(\\S+\\.camel\\.yaml):").matcher(route);
            assertTrue(name.find(), "the example names its file: " + route);
            String properties = block(readme, "```properties\n", section);
            Matcher property = Pattern.compile("(?m)^([a-z][\\w.-]*)=").matcher(properties);
            assertTrue(property.find(), properties);
            return new Example(name.group(1), route, property.group(1));
        }

        private static String block(String readme, String opening, int from) {
            int start = readme.indexOf(opening, from);
            assertTrue(start >= 0, "no " + opening.trim() + " block after the section");
            start += opening.length();
            return readme.substring(start, readme.indexOf("```", start));
        }
    }

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
        Example example = Example.fromReadme();
        Path routes = Files.createDirectories(dir.resolve("my-routes"));
        Files.writeString(routes.resolve(example.routeFile()), example.route());
        Path logs = dir.resolve("logs");
        Path config = dir.resolve("my.properties");
        Files.writeString(config, example.property() + "=" + logs + "\n");
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
