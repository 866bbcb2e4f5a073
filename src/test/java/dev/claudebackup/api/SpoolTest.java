package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.BackupTree;

/**
 * Issue 16, point 8: answers over 1 MB were spooled to the shared {@code $TMPDIR/camel} and kept until the
 * whole organization ended (private conversations left in /tmp after a kill; a full tmpfs became endless
 * retries; a plain file planted at /tmp/camel failed every big chat). They are spooled inside the state
 * folder (0700), each deleted once its chat is written; a spool that cannot be written is not retried.
 */
class SpoolTest {

    @TempDir
    Path dir;
    ApiFixture fixture;
    final List<String> bigChats = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        fixture = new ApiFixture(1);
        for (int i = 0; i < 4; i++) {
            String uuid = UUID.randomUUID().toString();
            String json = "{\"uuid\":\"" + uuid + "\",\"name\":\"Big " + i + "\",\"chat_messages\":[{\"text\":\""
                    + "x".repeat(1_500_000) + "\"}]}";
            fixture.account.putRawChat(fixture.organization.uuid(), uuid, "Big " + i, json.getBytes(StandardCharsets.UTF_8));
            bigChats.add(uuid);
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private Path spool() {
        return dir.resolve(".claude-backup/spool");
    }

    private static List<Path> filesIn(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Test
    void bigAnswersAreSpooledInsideTheStateFolderAndEachIsDeletedOnceItsChatIsWritten() throws Exception {
        List<Integer> spooledWhenAsked = Collections.synchronizedList(new ArrayList<>());
        fixture.api.intercept(request -> {
            if (ApiFixture.anyChatRequest().test(request)) {
                spooledWhenAsked.add(filesIn(spool()).size());
            }
            return Optional.empty();
        });
        Files.createDirectories(spool());
        Path leftover = Files.writeString(spool().resolve("cos-left-by-a-killed-run.tmp"), "a private conversation");

        BackupRunner.Result result = fixture.backup(dir, "--connections", "1");

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        assertEquals(5, BackupTree.chatFiles(dir).size());
        assertTrue(!Files.exists(leftover), "a killed run's spool file is removed at the start");
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(spool())));
        // one connection: while a chat is asked for, at most the one before it is still being written
        assertTrue(spooledWhenAsked.stream().allMatch(count -> count <= 1 + dev.claudebackup.cli.BackupApplication.FETCH_THREADS_AHEAD),
                "spool files do not pile up until the organization ends: " + spooledWhenAsked);
        assertEquals(List.of(), filesIn(spool()), "nothing left in the spool");
    }

    @Test
    void aSpoolThatCannotBeWrittenFailsTheRunOnceInsteadOfRetryingAsANetworkFault() throws Exception {
        fixture.api.intercept(request -> {
            if (ApiFixture.accountRequest().test(request) && Files.isDirectory(spool())) {
                // the spool folder is gone, a plain file in its place: nothing can be spooled
                Files.delete(spool());
                Files.writeString(spool(), "in the way");
            }
            return Optional.empty();
        });

        BackupRunner.Result result = fixture.backup(dir, "--retries", "3", "--connections", "1");

        assertEquals(ExitStatus.SOME_FAILED, result.status(), result.toString());
        assertTrue(result.stderr().contains("Cannot write to the backup folder: "), result.stderr());
        int bigRequests = 0;
        for (String uuid : bigChats) {
            bigRequests += fixture.api.requests().stream().filter(request -> request.path().endsWith(uuid)).count();
        }
        assertEquals(1, bigRequests, "the first big chat was asked once, not retried; the run stopped there");
        assertTrue(!result.stderr().contains("Retrying chat Big"), result.stderr());
    }
}
