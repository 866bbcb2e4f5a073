package dev.claudebackup.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.OSInfo;

import dev.claudebackup.demo.SampleAccount;
import dev.claudebackup.testing.BackupRunner;
import dev.claudebackup.testing.JarProcess;

/**
 * A write that fails half-way, as on a full disk: the jar runs under a file size limit ({@code ulimit -f}),
 * so writing a large chat fails after part of it was written (the JVM ignores SIGXFSZ, so the write
 * fails with "File too large", as it would with "No space left on device"). No half-written file may
 * stay, and the chat must not count as saved.
 */
class DiskFullIT {

    private static final int LIMIT_KB = 256;

    @TempDir
    Path dir;
    ApiFixture fixture;
    SampleAccount.Chat big;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")), "a POSIX shell for ulimit");
        fixture = new ApiFixture(2);
        String padding = "x".repeat(LIMIT_KB * 1024 * 2); // bigger than the limit, smaller than the 1 MB Camel spools to disk
        // the chat asked for, by its uuid: only that is ever saved
        String uuid = UUID.randomUUID().toString();
        byte[] json = ("{\"uuid\":\"" + uuid + "\",\"name\":\"Big\",\"chat_messages\":[{\"text\":\"" + padding + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        big = fixture.account.putRawChat(fixture.organization.uuid(), uuid, "Big", json);
    }

    /**
     * SQLite's driver copies its native library to a temporary file at every start, which the limit
     * would break: it gets one copied beforehand instead.
     */
    private Path sqliteLibrary;

    @BeforeEach
    void copySqliteLibrary() throws Exception {
        String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + System.mapLibraryName("sqlitejdbc");
        sqliteLibrary = Files.createDirectories(dir.resolve("native")).resolve(System.mapLibraryName("sqlitejdbc"));
        try (InputStream in = OSInfo.class.getResourceAsStream(resource)) {
            assumeTrue(in != null, "SQLite's native library for this platform: " + resource);
            Files.copy(in, sqliteLibrary);
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aWriteThatFailsHalfWayLeavesNoFileAndTheChatIsSavedByTheNextRun() throws Exception {
        Path backup = dir.resolve("backup");
        Path bigFile = backup.resolve(fixture.fileOf(big));

        Run limited = run(LIMIT_KB, backup);

        assertEquals(1, limited.status(), limited.stderr());
        assertEquals(1, limited.stderr().lines().filter(line -> line.startsWith("Cannot write to the backup folder: ")
                && line.contains("File too large")).count(), limited.stderr());
        assertFalse(limited.stdout().contains(big.uuid()), "not reported as saved");
        assertFalse(Files.exists(bigFile));
        try (Stream<Path> paths = Files.walk(backup)) {
            assertEquals(List.of(), paths.filter(path -> path.getFileName().toString().startsWith(".part-")).toList(),
                    "no half-written temporary file stays");
        }

        Run unlimited = run(0, backup);

        assertEquals(0, unlimited.status(), unlimited.stderr());
        assertTrue(unlimited.stdout().contains(big.uuid() + "\tBig"), "the next run saves it: " + unlimited.stdout());
        assertArrayEquals(big.json(), Files.readAllBytes(bigFile));
    }

    private record Run(int status, String stdout, String stderr) {
    }

    /** Runs the jar with a file size limit in KB (0: none). */
    private Run run(int limitKb, Path backup) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c",
                (limitKb > 0 ? "ulimit -f " + limitKb + " && " : "") + "exec \"$0\" \"$@\"",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.sqlite.lib.path=" + sqliteLibrary.getParent(), "-Dorg.sqlite.lib.name=" + sqliteLibrary.getFileName(),
                "-jar", JarProcess.jar().toAbsolutePath().toString(),
                "--base-url", fixture.api.baseUrl(), "--success-delay", "0", "--connections", "1",
                "--min-retry-delay", "0.01", "--max-retry-delay", "0.01", backup.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().put("CLAUDE_SESSION_KEY", BackupRunner.SESSION_KEY);
        builder.environment().put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("no end in 120 s: " + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
