package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
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
 * routes/extras/git-history.camel.yaml: the backup folder committed to a real repository on disk after
 * each run, read back with JGit and with the git command where the machine has one.
 */
class GitHistoryTest {

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    String organization;
    Path backup;
    Path config;

    @BeforeEach
    void start() throws Exception {
        account = FakeClaudeApi.demoAccount();
        organization = account.organizations().get(0).uuid();
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        backup = dir.resolve("backup");
        config = dir.resolve("claude-backup.properties");
        Files.writeString(config, "extras.git.enabled=true\n");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void everyVersionOfAChatStaysInTheHistory() throws Exception {
        SampleAccount.Chat chat = account.chatList(organization).get(2);
        BackupRunner.Result first = run();
        String path = pathOf(chat.uuid());
        account.updateChat(organization, chat.uuid());

        BackupRunner.Result second = run();

        assertEquals(ExitStatus.OK, first.status(), first.toString());
        assertEquals(ExitStatus.OK, second.status(), second.toString());
        List<RevCommit> log = log();
        assertEquals(2, log.size());
        assertTrue(log.get(0).getFullMessage().startsWith("Backup complete: 0 new, 1 updated, 0 renamed, 8 unchanged, 0 failed"),
                log.get(0).getFullMessage());
        assertTrue(log.get(1).getFullMessage().startsWith("Backup complete: 9 new, 0 updated"), log.get(1).getFullMessage());
        assertEquals("claude-backup", log.get(0).getAuthorIdent().getName());
        assertArrayEquals(chat.json(), content(log.get(1), path), "the first version, at the older commit");
        assertArrayEquals(account.chat(organization, chat.uuid()).json(), content(log.get(0), path));
        java.util.Set<String> files = new java.util.TreeSet<>(BackupTree.files(backup).keySet());
        files.removeIf(file -> file.startsWith(".git/"));
        assertEquals(files, paths(log.get(0)), "the whole backup, and nothing else");
        assertTrue(paths(log.get(0)).stream().noneMatch(p -> p.startsWith(".claude-backup")), "no state, no lock");
        try (Git git = Git.open(backup.toFile())) {
            assertTrue(git.status().call().isClean(), "the state folder is ignored: " + git.status().call().getUntracked());
        }
        gitCommand("show", "HEAD~1:" + path).ifPresent(shown -> assertArrayEquals(chat.json(), shown, "git show HEAD~1:" + path));
    }

    @Test
    void everyVersionOfAProjectsInstructionsStaysInTheHistory() throws Exception {
        SampleAccount.Project project = account.projects(organization).get(0);
        run();
        String path = "organizations/" + dev.claudebackup.store.ChatFileNamer.slug("Personal", organization) + "/projects/"
                + dev.claudebackup.store.ChatFileNamer.slug(project.name(), project.uuid()) + "/project.json";
        byte[] first = account.projectJson(organization, project.uuid());
        account.setInstructions(organization, project.uuid(), "Answer at length now.");

        BackupRunner.Result second = run();

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        List<RevCommit> log = log();
        assertEquals(2, log.size());
        assertTrue(log.get(0).getFullMessage().contains("; projects: 0 new, 1 updated, 0 renamed, 0 unchanged, 0 failed"),
                log.get(0).getFullMessage());
        assertArrayEquals(first, content(log.get(1), path), "the first instructions, at the older commit");
        assertArrayEquals(account.projectJson(organization, project.uuid()), content(log.get(0), path));
        for (String file : List.of("docs.json", "files.json", "memory.json")) {
            assertTrue(paths(log.get(0)).contains(path.replace("project.json", file)), file);
        }
    }

    @Test
    void aChatRemovedFromTheBackupStaysInTheHistory() throws Exception {
        run();
        SampleAccount.Chat deleted = account.chatList(organization).get(0);
        String deletedPath = pathOf(deleted.uuid());
        account.deleteChat(organization, deleted.uuid());

        BackupRunner.Result removed = run("--ignore-cache");

        assertEquals(ExitStatus.OK, removed.status(), removed.toString());
        assertFalse(Files.exists(backup.resolve(deletedPath)), "--ignore-cache removes a chat deleted on claude.ai");
        List<RevCommit> log = log();
        assertEquals(2, log.size());
        assertFalse(paths(log.get(0)).contains(deletedPath), "gone from the backup");
        assertArrayEquals(deleted.json(), content(log.get(1), deletedPath), "still in the history");
        gitCommand("log", "--format=%s", "--", deletedPath).ifPresent(subjects -> assertEquals(2,
                new String(subjects, java.nio.charset.StandardCharsets.UTF_8).strip().lines().count(), "git log -- the file"));
    }

    @Test
    void aFileChangedWithTheSameSizeAndTimeIsCommitted() throws Exception {
        // Another branch shown on claude.ai changes a chat's current leaf but not its size or its updated_at,
        // the file's modification time. Git's own check (size and time) would miss it.
        run();
        Path file = backup.resolve(pathOf(account.chatList(organization).get(0).uuid()));
        byte[] before = Files.readAllBytes(file);
        java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(file);
        byte[] after = new String(before, java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\"uuid\":\"[0-9a-f]", "\"uuid\":\"x")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(before.length, after.length);
        Files.write(file, after);
        Files.setLastModifiedTime(file, time);

        BackupRunner.Result second = run();

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertEquals(2, log().size());
        assertArrayEquals(after, content(log().get(0), backup.relativize(file).toString()));
        assertArrayEquals(before, content(log().get(1), backup.relativize(file).toString()));
    }

    @Test
    void aRunThatChangedNothingOrFailedAddsNoCommit() throws Exception {
        run();
        BackupRunner.Result unchanged = run();
        assertEquals(ExitStatus.OK, unchanged.status(), unchanged.toString());
        assertEquals(1, log().size(), "nothing changed: no commit");

        SampleAccount.Chat chat = account.chatList(organization).get(1);
        account.updateChat(organization, chat.uuid());
        SampleAccount.Chat broken = account.chatList(account.organizations().get(1).uuid()).get(0);
        account.updateChat(account.organizations().get(1).uuid(), broken.uuid());
        api.intercept(request -> request.path().endsWith("/" + broken.uuid())
                ? Optional.of(FakeClaudeApi.Response.json(500, "{}")) : Optional.empty());
        BackupRunner.Result failed = run("--retries", "1");
        assertEquals(ExitStatus.SOME_FAILED, failed.status(), failed.toString());
        assertEquals(1, log().size(), "a run that failed is not committed");

        api.clearInterceptors();
        BackupRunner.Result next = run();
        assertEquals(ExitStatus.OK, next.status(), next.toString());
        assertEquals(2, log().size());
        assertArrayEquals(account.chat(organization, chat.uuid()).json(), content(log().get(0), pathOf(chat.uuid())),
                "the next good run commits what the failed one saved too");
    }

    @Test
    void offByDefaultNoRepositoryIsMade() throws Exception {
        BackupRunner.Result result = BackupRunner.backup(api, backup);

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertFalse(Files.exists(backup.resolve(".git")));
    }

    private BackupRunner.Result run(String... more) {
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(List.of(more));
        return BackupRunner.backup(api, backup, args.toArray(String[]::new));
    }

    private String pathOf(String chatUuid) throws IOException {
        return BackupTree.chatFiles(backup).keySet().stream().filter(p -> p.contains(chatUuid)).findFirst().orElseThrow();
    }

    /** Newest first. */
    private List<RevCommit> log() throws Exception {
        try (Git git = Git.open(backup.toFile())) {
            List<RevCommit> commits = new ArrayList<>();
            git.log().call().forEach(commits::add);
            return commits;
        }
    }

    private byte[] content(RevCommit commit, String path) throws IOException {
        try (Repository repository = Git.open(backup.toFile()).getRepository();
             TreeWalk walk = TreeWalk.forPath(repository, path, commit.getTree())) {
            if (walk == null) {
                throw new AssertionError(path + " is not in " + commit.getShortMessage());
            }
            ObjectId blob = walk.getObjectId(0);
            return repository.open(blob).getBytes();
        }
    }

    private java.util.Set<String> paths(RevCommit commit) throws IOException {
        java.util.Set<String> paths = new java.util.TreeSet<>();
        try (Repository repository = Git.open(backup.toFile()).getRepository(); TreeWalk walk = new TreeWalk(repository)) {
            walk.addTree(commit.getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                paths.add(walk.getPathString());
            }
        }
        return paths;
    }

    /** Runs the git command in the backup folder, if this machine has one; its stdout. */
    private Optional<byte[]> gitCommand(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", backup.toString()));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException noGit) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertEquals(0, process.waitFor(), String.join(" ", command));
        return Optional.of(out.toByteArray());
    }

    @Test
    void theReadableCopyIsExcludedWhereReadableDirPutsIt() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("own"));
        Files.writeString(Files.createDirectories(folder.resolve("organizations")).resolve("chat.json"), "{}");
        Files.writeString(Files.createDirectories(folder.resolve("pages/elsewhere")).resolve("index.html"), "<p>derived</p>");
        GitHistory history = new GitHistory(folder, "claude-backup", "claude-backup@localhost", folder.resolve("pages/elsewhere"));
        assertTrue(history.excluded().contains("/pages/elsewhere/"), history.excluded().toString());
        assertTrue(history.commit("first"));
        try (Git git = Git.open(folder.toFile()); Repository repository = git.getRepository()) {
            RevCommit head = git.log().call().iterator().next();
            assertTrue(TreeWalk.forPath(repository, "organizations/chat.json", head.getTree()) != null);
            assertEquals(null, TreeWalk.forPath(repository, "pages/elsewhere/index.html", head.getTree()), "the readable copy committed");
        }
    }
}
