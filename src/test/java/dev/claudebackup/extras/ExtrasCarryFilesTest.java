package dev.claudebackup.extras;

import static dev.claudebackup.files.FileFixture.message;
import static dev.claudebackup.files.FileFixture.withFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.files.FileFixture;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.testing.BackupRunner;

/** The S3 copy and the git history carry the files of chats: they copy every file under organizations/. */
class ExtrasCarryFilesTest {

    private static final String BUCKET = "claude-backups";

    @TempDir
    Path dir;
    FileFixture api;
    Path backup;
    byte[] png;
    String picture;

    @BeforeEach
    void start() throws Exception {
        api = new FileFixture();
        backup = dir.resolve("backup");
        png = FileFixture.png(40, 30);
        picture = api.serve("preview", "image/png", png);
        api.chat("A picture", withFiles(message("see"), "files_v2", api.image(picture, "picture.png", null)));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theS3CopyHoldsTheFiles() throws Exception {
        try (S3Server s3 = new S3Server()) {
            s3.createBucket(BUCKET);
            Path config = dir.resolve("s3.properties");
            Files.writeString(config, s3.configuration(BUCKET, "alice/"));

            BackupRunner.Result result = api.backup(backup, "--config", config.toString());

            assertEquals(ExitStatus.OK, result.status(), result.toString());
            String path = backup.relativize(api.savedFile(backup, picture).orElseThrow()).toString();
            assertTrue(path.contains("/files/"), path);
            assertArrayEquals(png, s3.objects(BUCKET).get("alice/" + path), s3.objects(BUCKET).keySet().toString());
            assertEquals("image/png", s3.client().headObject(request -> request.bucket(BUCKET).key("alice/" + path)).contentType());
        }
    }

    @Test
    void theGitHistoryHoldsTheFiles() throws Exception {
        Path config = dir.resolve("git.properties");
        Files.writeString(config, "extras.git.enabled=true\n");

        BackupRunner.Result result = api.backup(backup, "--config", config.toString());

        assertEquals(ExitStatus.OK, result.status(), result.toString());
        String path = backup.relativize(api.savedFile(backup, picture).orElseThrow()).toString();
        try (Git git = Git.open(backup.toFile())) {
            Repository repository = git.getRepository();
            RevCommit head = git.log().call().iterator().next();
            try (TreeWalk walk = TreeWalk.forPath(repository, path, head.getTree())) {
                assertTrue(walk != null, "not committed: " + path);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                repository.open(walk.getObjectId(0)).copyTo(bytes);
                assertArrayEquals(png, bytes.toByteArray());
            }
        }
    }
}
