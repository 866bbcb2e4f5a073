package dev.claudebackup.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.files.FileFixture;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.sync.LoopbackBackup;
import dev.claudebackup.testing.BackupRunner;

/**
 * {@code verify} on a real backup with projects and files, made by the real routes from the loopback
 * API: it checks every project and file the state records, finds a truncated project.json, a file whose
 * bytes changed and a file that is missing, and after {@code --repair} the next run fetches exactly
 * those (the project whole, the two files alone), after which the backup is whole again.
 */
class ProjectsAndFilesVerifyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern DOWNLOAD = Pattern.compile("/api/[^/]+/files/([^/]+)/[^/]+");
    private static final Pattern PROJECT = Pattern.compile("/api/organizations/[^/]+/projects/([^/]+)(/.*)?");

    @TempDir
    Path work;
    LoopbackBackup backup;
    SampleAccount.Project plans;
    SampleAccount.Project other;
    String image;
    byte[] png;

    @BeforeEach
    void backUp() throws Exception {
        backup = LoopbackBackup.start(work, 100, 3, 2);
        SampleAccount account = backup.account;
        plans = account.addProject(backup.main, "Plans", "Be brief.");
        account.addDoc(backup.main, plans.uuid(), "notes.md", "# Notes", false);
        account.addProjectFile(backup.main, plans.uuid(), "spec.pdf");
        account.addProjectFile(backup.main, plans.uuid(), "budget.pdf");
        plans = account.setProjectMemory(backup.main, plans.uuid(), "The user plans.");
        other = account.addProject(backup.main, "Other", "Be kind.");
        other = account.addProjectFile(backup.main, other.uuid(), "other.pdf");
        image = UUID.randomUUID().toString();
        png = FileFixture.png(8, 8);
        chatWithImage("Screenshot chat");
        String imagePath = "/api/" + backup.main + "/files/" + image + "/preview";
        backup.api.intercept(request -> request.path().equals(imagePath)
                ? Optional.of(new FakeClaudeApi.Response(200, Map.of("Content-Type", "image/png"), png)) : Optional.empty());

        BackupRunner.Result first = backup.run();
        assertEquals(ExitStatus.OK, first.status(), first.toString());
    }

    @AfterEach
    void stopApi() {
        backup.close();
    }

    /** A chat whose one message names the image, its JSON's updated_at the list's. */
    private void chatWithImage(String name) throws Exception {
        String uuid = UUID.randomUUID().toString();
        SampleAccount.Chat placeholder = backup.account.putRawChat(backup.main, uuid, name, "{}".getBytes(StandardCharsets.UTF_8));
        ObjectNode chat = MAPPER.createObjectNode();
        chat.put("uuid", uuid);
        chat.put("name", name);
        chat.put("updated_at", placeholder.updatedAt());
        ObjectNode entry = MAPPER.createObjectNode();
        entry.put("file_kind", "image");
        entry.put("file_uuid", image);
        entry.put("file_name", "screenshot.png");
        entry.putObject("preview_asset").put("url", "/api/" + backup.main + "/files/" + image + "/preview");
        chat.putArray("chat_messages").add(FileFixture.withFiles(FileFixture.message("look at this"), "files_v2", entry));
        backup.account.organization(backup.main).chats().put(uuid,
                new SampleAccount.Chat(uuid, name, placeholder.updatedAt(), null, MAPPER.writeValueAsBytes(chat)));
    }

    private BackupRunner.Result verify(String... options) {
        List<String> args = new ArrayList<>(List.of("verify", "--dir", backup.dir.toString()));
        args.addAll(List.of(options));
        return BackupRunner.run(BackupRunner.environment(), args.toArray(String[]::new));
    }

    private Path projectFolder(SampleAccount.Project project) {
        return backup.folder(backup.main).resolve("projects").resolve(ChatFileNamer.slug(project.name(), project.uuid()));
    }

    private Path savedFile(String uuid) throws Exception {
        try (Stream<Path> files = Files.list(backup.folder(backup.main).resolve("files"))) {
            return files.filter(path -> path.getFileName().toString().contains("-" + uuid + ".")).findFirst().orElseThrow();
        }
    }

    private static String fileUuid(SampleAccount.Project project, String name) {
        return UUID.nameUUIDFromBytes((project.uuid() + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private String relative(Path file) {
        return backup.dir.relativize(file).toString();
    }

    @Test
    void aWholeBackupWithProjectsAndFilesIsWhole() throws Exception {
        assertTrue(Files.isRegularFile(projectFolder(plans).resolve("memory.json")), "the fixture has every part of a project");
        assertTrue(Files.isRegularFile(savedFile(image)));

        BackupRunner.Result result = verify();

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(List.of("Checked 6 chats, 4 files, 2 projects in " + backup.dir.toAbsolutePath().normalize()
                + ": the backup is whole."), result.stdoutLines());
        BackupRunner.Result json = verify("--json");
        var checked = MAPPER.readTree(json.stdout()).path("checked");
        assertEquals(6, checked.path("chats").asInt());
        assertEquals(2, checked.path("projects").asInt());
        assertEquals(4, checked.path("files").asInt());
    }

    @Test
    void aFileInAProjectFolderThatNoProjectHasIsUnknown() throws Exception {
        Path stray = projectFolder(other).resolve("notes-by-hand.txt");
        Files.writeString(stray, "mine");
        Files.setPosixFilePermissions(stray, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        BackupRunner.Result result = verify();

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertEquals(List.of(relative(stray) + ": the state does not know this file (left as it is)"),
                result.stdoutLines().subList(0, result.stdoutLines().size() - 1));
    }

    @Test
    void findsATruncatedProjectAChangedFileAndAMissingFileAndRepairMakesTheNextRunFetchExactlyThem() throws Exception {
        Path projectJson = projectFolder(plans).resolve("project.json");
        byte[] whole = Files.readAllBytes(projectJson);
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        Files.write(projectJson, cut);
        String changed = fileUuid(other, "other.pdf");
        Path changedFile = savedFile(changed);
        byte[] bytes = Files.readAllBytes(changedFile);
        bytes[bytes.length / 2] ^= 0x20; // the same size, other bytes
        Files.write(changedFile, bytes);
        Path missingFile = savedFile(image);
        Files.delete(missingFile);

        BackupRunner.Result found = verify();

        assertEquals(ExitStatus.SOME_FAILED, found.status(), found.toString());
        assertEquals(List.of(
                "project Plans (" + plans.uuid() + "): " + relative(projectJson) + ": cut short or not JSON",
                "file (" + changed + "): " + relative(changedFile) + ": changed since it was saved (its sha-256 differs)",
                "file (" + image + "): " + relative(missingFile) + ": the file is missing",
                "Checked 6 chats, 4 files, 2 projects in " + backup.dir.toAbsolutePath().normalize() + ": 3 problems."),
                found.stdoutLines().stream().map(line -> line.replaceAll(" \\(Unexpected.*\\)$", "")
                        .replaceAll(" Run verify --repair.*", "")).toList(), found.stdout());

        BackupRunner.Result repaired = verify("--repair");

        assertEquals(ExitStatus.SOME_FAILED, repaired.status(), repaired.toString());
        assertTrue(repaired.stdout().contains("3 problems; repaired: the next backup run fetches 2 files, 1 project again."),
                repaired.stdout());
        Path damaged = backup.dir.resolve(".claude-backup/damaged");
        assertArrayEquals(cut, Files.readAllBytes(damaged.resolve(relative(projectJson))), "set aside as it was");
        assertArrayEquals(bytes, Files.readAllBytes(damaged.resolve(relative(changedFile))), "set aside as it was");
        assertFalse(Files.exists(projectJson));
        assertFalse(Files.exists(changedFile));
        assertTrue(Files.isRegularFile(projectFolder(plans).resolve("docs.json")), "the project's good files stay meanwhile");

        BackupRunner.Result next = backup.run();

        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(List.of(), backup.calls().chats(), "no chat is fetched: the image's chat is read from its file");
        Set<String> downloads = new TreeSet<>();
        Set<String> projects = new TreeSet<>();
        List<String> projectRequests = new ArrayList<>();
        for (FakeClaudeApi.Request request : backup.api.requests()) {
            Matcher download = DOWNLOAD.matcher(request.path());
            Matcher project = PROJECT.matcher(request.path());
            if (download.matches()) {
                downloads.add(download.group(1));
            } else if (project.matches()) {
                projects.add(project.group(1));
                projectRequests.add(request.path());
            }
        }
        assertEquals(new TreeSet<>(Set.of(changed, image)), downloads, "exactly the two files\n" + backup.calls());
        assertEquals(2, backup.api.requests().stream().filter(request -> DOWNLOAD.matcher(request.path()).matches()).count(),
                "once each");
        assertEquals(Set.of(plans.uuid()), projects, "exactly the damaged project, whole again\n" + backup.calls());
        assertArrayEquals(whole, Files.readAllBytes(projectJson));
        assertArrayEquals(png, Files.readAllBytes(savedFile(image)));
        assertFalse(Arrays.equals(bytes, Files.readAllBytes(savedFile(changed))), "the file's bytes as claude.ai has them");

        BackupRunner.Result again = verify();
        assertEquals(ExitStatus.OK, again.status(), "whole again\n" + again);
    }
}
