package dev.claudebackup.files;

import static dev.claudebackup.files.FileFixture.message;
import static dev.claudebackup.files.FileFixture.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.JarProcess;

/**
 * A 200 MB PDF saved by the real jar running with a 64 MB heap: the bytes go from the socket to the file,
 * never whole into memory (nor into Camel's stream cache).
 */
class LargeFileIT {

    private static final int SIZE = 200 * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aFileFarBiggerThanTheHeapIsStreamedToDisk() throws Exception {
        byte[] big = new byte[SIZE];
        new Random(42).nextBytes(big);
        System.arraycopy(FileFixture.pdf("big").clone(), 0, big, 0, 8); // %PDF-1.4 header
        try (FileFixture api = new FileFixture()) {
            String uuid = api.serve("document_pdf", "application/pdf", big);
            api.chat("A big manual", withFiles(message("the manual"), "files_v2", api.document(uuid, "Manual.pdf", null)));
            Path backup = dir.resolve("backup");

            JarProcess run = JarProcess.start(Map.of("HOME", dir.toString(), "CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY), dir,
                    List.of("-Xmx64m"), "--base-url", api.api.baseUrl(), "--success-delay", "0", backup.toString());

            assertEquals(0, run.waitFor(300), run.stderr());
            Path saved = api.savedFile(backup, uuid).orElseThrow(() -> new AssertionError("no file: " + run.stderr()));
            assertEquals(SIZE, Files.size(saved));
            assertEquals(sha256(big), sha256(saved));
            assertTrue(run.stderr().contains("files: 1 saved (209.7 MB)"), run.stderr());
            assertEquals(1, api.downloads.size());
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, read);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
