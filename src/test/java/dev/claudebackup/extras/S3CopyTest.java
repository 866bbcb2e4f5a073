package dev.claudebackup.extras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

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

/** routes/extras/s3.camel.yaml against S3Proxy on loopback, switched on by a --config file. */
class S3CopyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String BUCKET = "claude-backups";
    private static final String PREFIX = "alice/claude/";

    @TempDir
    Path dir;
    FakeClaudeApi api;
    SampleAccount account;
    S3Server s3;
    Path backup;
    Path config;

    @BeforeEach
    void start() throws Exception {
        account = FakeClaudeApi.demoAccount();
        api = new FakeClaudeApi(account, BackupRunner.SESSION_KEY);
        s3 = new S3Server();
        s3.createBucket(BUCKET);
        backup = dir.resolve("backup");
        config = dir.resolve("claude-backup.properties");
        Files.writeString(config, s3.configuration(BUCKET, PREFIX));
    }

    @AfterEach
    void stop() throws Exception {
        s3.close();
        api.close();
    }

    @Test
    void aFullRunThenARenameKeepTheBucketEqualToTheBackup() throws Exception {
        BackupRunner.Result first = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, first.status(), first.toString());
        assertBucketHoldsTheBackup();
        assertEquals(9 + 2 + 1 + 2 + 4 + 1 + 2 + 1, s3.objects(BUCKET).size(),
                "the chats, the two lists, account.json, two project lists, the project's four files, a memory, two styles,"
                        + " the PDF the project's files list names");

        String organization = account.organizations().get(0).uuid();
        SampleAccount.Chat renamed = account.chatList(organization).get(3);
        String oldKey = keyOf(renamed.uuid());
        account.renameChat(organization, renamed.uuid(), "A brand new name");
        account.updateChat(organization, account.chatList(organization).get(4).uuid());

        BackupRunner.Result second = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, second.status(), second.toString());
        assertBucketHoldsTheBackup();
        assertFalse(s3.objects(BUCKET).containsKey(oldKey), "the renamed chat's old key is gone: " + oldKey);
        assertTrue(keyOf(renamed.uuid()).endsWith("A_brand_new_name-" + renamed.uuid() + ".json"), keyOf(renamed.uuid()));
        assertArrayEquals(account.chat(organization, renamed.uuid()).json(), s3.objects(BUCKET).get(keyOf(renamed.uuid())));
    }

    @Test
    void aProjectGoesUpWithEveryFileAndARenamedProjectsOldKeysGo() throws Exception {
        String organization = account.organizations().get(0).uuid();
        SampleAccount.Project project = account.projects(organization).get(0);
        BackupRunner.backup(api, backup, "--config", config.toString());
        Map<String, byte[]> before = s3.objects(BUCKET);
        java.util.List<String> oldKeys = before.keySet().stream().filter(key -> key.contains("/projects/")).sorted().toList();
        assertEquals(4, oldKeys.size(), "project.json, docs.json, files.json, memory.json: " + oldKeys);

        account.renameProject(organization, project.uuid(), "Allotment");
        BackupRunner.Result renamed = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, renamed.status(), renamed.toString());
        assertBucketHoldsTheBackup();
        oldKeys.forEach(key -> assertFalse(s3.objects(BUCKET).containsKey(key), "the old key is gone: " + key));
        String newKey = PREFIX + "organizations/" + dev.claudebackup.store.ChatFileNamer.slug("Personal", organization)
                + "/projects/Allotment-" + project.uuid() + "/project.json";
        assertArrayEquals(account.projectJson(organization, project.uuid()), s3.objects(BUCKET).get(newKey), newKey);
    }

    @Test
    void uploadsThatFailFailTheRunAndTheNextRunUploadsWhatIsMissing() throws Exception {
        s3.stop();

        BackupRunner.Result down = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.SOME_FAILED, down.status(), down.toString());
        assertEquals(9, BackupTree.chatFiles(backup).size(), "the local backup is complete");
        assertTrue(down.stderr().contains("Could not upload organizations/"), down.stderr());
        assertTrue(down.stderr().contains("to S3: ConnectException"), down.stderr());
        assertTrue(down.stderr().contains("Could not bring the copy in S3 up to date"), down.stderr());
        JsonNode report = MAPPER.readTree(backup.resolve(".claude-backup/last-run.json").toFile());
        assertEquals("some_failed", report.path("status").asText());
        assertEquals(9 + 1 + 1, report.path("failures").size(), "each chat, the project, then the catch-up: " + report.toPrettyString());
        assertTrue(down.stderr().contains("Could not upload the files of project Kitchen garden"), down.stderr());

        s3.start();
        api.clearRequests();
        BackupRunner.Result back = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, back.status(), back.toString());
        assertTrue(api.requests().stream().noneMatch(request -> request.path().matches(".*/chat_conversations/[^/]+")),
                "no chat is fetched again: the local backup is the source");
        assertBucketHoldsTheBackup();
    }

    @Test
    void aMissingBucketFailsTheRunAndIsCaughtUpOnceItExists() throws Exception {
        Files.writeString(config, s3.configuration("not-created-yet", ""));

        BackupRunner.Result missing = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.SOME_FAILED, missing.status(), missing.toString());
        assertTrue(missing.stderr().contains("NoSuchBucket"), missing.stderr());

        s3.createBucket("not-created-yet");
        BackupRunner.Result created = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, created.status(), created.toString());
        assertEquals(BackupTree.files(backup).keySet(), s3.objects("not-created-yet").keySet());
    }

    @Test
    void aChatRemovedFromTheBackupIsRemovedFromTheBucketButOthersObjectsStay() throws Exception {
        s3.put(BUCKET, PREFIX + "notes/mine.txt", "not claude-backup's".getBytes());
        BackupRunner.backup(api, backup, "--config", config.toString());
        String organization = account.organizations().get(0).uuid();
        SampleAccount.Chat deleted = account.chatList(organization).get(0);
        String key = keyOf(deleted.uuid());
        account.deleteChat(organization, deleted.uuid());

        BackupRunner.Result kept = BackupRunner.backup(api, backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, kept.status(), kept.toString());
        assertTrue(s3.objects(BUCKET).containsKey(key), "a chat deleted on claude.ai stays in the backup, so in the bucket");

        BackupRunner.Result removed = BackupRunner.backup(api, backup, "--config", config.toString(), "--ignore-cache");

        assertEquals(ExitStatus.OK, removed.status(), removed.toString());
        assertFalse(s3.objects(BUCKET).containsKey(key), "removed from the backup with --ignore-cache, so from the bucket");
        assertTrue(s3.objects(BUCKET).containsKey(PREFIX + "notes/mine.txt"), "what claude-backup did not upload stays");
    }

    /** Every file of the backup is in the bucket under the prefix, with the same bytes, and nothing else of ours. */
    private void assertBucketHoldsTheBackup() throws Exception {
        Map<String, byte[]> expected = new TreeMap<>();
        BackupTree.files(backup).forEach((path, bytes) -> expected.put(PREFIX + path, bytes));
        Map<String, byte[]> objects = new TreeMap<>(s3.objects(BUCKET));
        objects.keySet().removeIf(key -> key.startsWith(PREFIX + "notes/"));
        assertEquals(expected.keySet(), objects.keySet());
        expected.forEach((key, bytes) -> assertArrayEquals(bytes, objects.get(key), key));
    }

    private String keyOf(String chatUuid) {
        return s3.objects(BUCKET).keySet().stream().filter(key -> key.contains(chatUuid)).findFirst().orElseThrow();
    }
}
