package dev.claudebackup.projects;

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
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** {{events.project-saved}} as a route of the user's own (--routes DIR) hears it: CONTRACTS.md point 2. */
class ProjectSavedEventTest {

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    Path routes;
    Path heard;

    @BeforeEach
    void start() throws Exception {
        account = FakeClaudeApi.demoAccount();
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        routes = Files.createDirectories(dir.resolve("routes"));
        heard = dir.resolve("heard.txt");
        // Single quotes: YAML leaves \n to Simple.
        Files.writeString(routes.resolve("listener.camel.yaml"), """
                - route:
                    id: project-listener
                    from:
                      uri: "{{events.project-saved}}"
                      steps:
                        - setBody:
                            simple: '${header.ClaudeBackupOutcome}|${header.CamelFileName}|${exchangeProperty.project.uuid}|${exchangeProperty.project.name}|${exchangeProperty.project.organization.name}|${exchangeProperty.projectFiles}|${exchangeProperty.previousProjectFolder}|${body.length}\\n'
                        - to: "file:%s?fileName=%s&fileExist=Append"
                """.formatted(heard.getParent(), heard.getFileName()));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void oneEventPerProjectSavedWithItsFilesAndTheOldFolderOfARename() throws Exception {
        String organization = account.organizations().get(0).uuid();
        SampleAccount.Project project = account.projects(organization).get(0);
        String folder = "organizations/" + ChatFileNamer.slug("Personal", organization) + "/projects/";
        String first = folder + ChatFileNamer.slug(project.name(), project.uuid());

        BackupRunner.Result created = BackupRunner.backup(api, dir.resolve("backup"), "--routes", routes.toString());
        BackupRunner.Result idle = BackupRunner.backup(api, dir.resolve("backup"), "--routes", routes.toString());
        account.renameProject(organization, project.uuid(), "Allotment");
        BackupRunner.Result renamed = BackupRunner.backup(api, dir.resolve("backup"), "--routes", routes.toString());

        assertEquals(ExitStatus.OK, created.status(), created.toString());
        assertEquals(ExitStatus.OK, idle.status(), idle.toString());
        assertEquals(ExitStatus.OK, renamed.status(), renamed.toString());
        List<String> lines = Files.readAllLines(heard, StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), "one per project saved, none for an unchanged one: " + lines);
        String second = folder + "Allotment-" + project.uuid();
        int length = account.projectJson(organization, project.uuid()).length;
        assertEquals("NEW|" + first + "/project.json|" + project.uuid() + "|Kitchen garden|Personal|["
                + first + "/project.json, " + first + "/docs.json, " + first + "/files.json, " + first + "/memory.json]||"
                + (length - "Allotment".length() + "Kitchen garden".length()), lines.get(0));
        assertEquals("RENAMED|" + second + "/project.json|" + project.uuid() + "|Allotment|Personal|["
                + second + "/project.json, " + second + "/docs.json, " + second + "/files.json, " + second + "/memory.json]|"
                + first + "|" + length, lines.get(1));
        assertTrue(renamed.stderr().contains("Renaming project " + ChatFileNamer.slug(project.name(), project.uuid())
                + " to Allotment-" + project.uuid()), renamed.stderr());
    }
}
