package dev.claudebackup.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.demo.FakeClaudeApi.Response;
import dev.claudebackup.testing.BackupRunner;

/**
 * Issue 16, point 13: an organization listed twice is backed up once; a deleted chat counts as deleted
 * upstream only; a read-only backup folder ends the run as the README says (exit 2, nothing asked).
 */
class SmallerTrustPointsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void anOrganizationListedTwiceIsBackedUpOnce() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 3, 1)) {
            backup.api.intercept(request -> {
                if (!request.path().equals("/api/account")) {
                    return Optional.empty();
                }
                ObjectNode account = (ObjectNode) MAPPER.readTree(backup.account.accountJson());
                ArrayNode memberships = (ArrayNode) account.get("memberships");
                ObjectNode again = memberships.get(0).deepCopy();
                ((ObjectNode) again.get("organization")).put("name", "Main, listed again");
                memberships.add(again);
                return Optional.of(new Response(200, Map.of("Content-Type", "application/json"), MAPPER.writeValueAsBytes(account)));
            });

            BackupRunner.Result first = backup.run();
            BackupRunner.Result second = backup.run();

            assertEquals(ExitStatus.OK, first.status(), first.toString());
            assertEquals(1, first.stderr().lines().filter(line -> line.startsWith("Fetching chats for organization Main")).count(),
                    first.stderr());
            assertEquals(ExitStatus.OK, second.status(), second.toString());
            assertTrue(!second.stderr().contains("Renaming organization"), "no renaming back and forth: " + second.stderr());
            backup.assertHoldsEveryChat();
        }
    }

    @Test
    void aDeletedChatCountsAsDeletedUpstreamOnlyNotAlsoAsUnchanged() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 4, 0)) {
            // (only a list read to its end tells a chat was deleted: with --ignore-cache, every list is)
            assertEquals(ExitStatus.OK, backup.run().status());
            backup.account.deleteChat(backup.main, backup.chatAt(backup.main, 2));

            BackupRunner.Result result = backup.run("--ignore-cache");

            assertEquals(ExitStatus.OK, result.status(), result.toString());
            assertTrue(result.stderr().contains("Backup complete: 0 new, 3 updated, 0 renamed, 0 unchanged, 0 failed, 1 deleted upstream"),
                    result.stderr());
        }
    }

    /** A read-only bind mount of the backup folder (needs the right to mount: root in a container). */
    @Test
    void aReadOnlyBackupFolderExitsWithStatusTwoAskingNothing() throws Exception {
        try (LoopbackBackup backup = LoopbackBackup.start(work, 100, 2, 0)) {
            assertEquals(ExitStatus.OK, backup.run().status());
            assumeTrue(run("mount", "--bind", backup.dir.toString(), backup.dir.toString()), "a bind mount can be made here");
            try {
                assumeTrue(run("mount", "-o", "remount,ro,bind", backup.dir.toString()), "a read-only remount can be made here");
                backup.account.addChat(backup.main, "new", 1, false);

                BackupRunner.Result result = backup.run();

                assertEquals(ExitStatus.USAGE, result.status(), result.toString());
                assertTrue(result.stderr().contains(backup.dir.toRealPath().toString())
                        && result.stderr().contains("Read-only file system"), result.stderr());
                assertEquals(List.of(), backup.api.requests(), "nothing asked of claude.ai");
            } finally {
                run("umount", "-l", backup.dir.toString());
            }
        }
    }

    private static boolean run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
