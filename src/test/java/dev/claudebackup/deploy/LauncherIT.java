package dev.claudebackup.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.claudebackup.testing.JarProcess;

/**
 * bin/claude-backup, installed as users install it (beside the jar), started as a process: it makes its
 * class archive once, starts every later run from it, keeps stdout to the chats saved, and lets sqlite-jdbc
 * load its library from the user's cache. Each run backs up the built-in demo account (loopback only).
 */
class LauncherIT {

    private static final Path PROJECT = KubernetesManifestsTest.projectDir();
    private static final String CHAT_LINE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\t.*";

    @TempDir
    Path dir;
    Path app;
    Path launcher;
    Path jar;

    record Result(int exit, String stdout, String stderr) {
    }

    @BeforeEach
    void install() throws IOException {
        app = Files.createDirectories(dir.resolve("opt/claude-backup"));
        jar = Files.copy(JarProcess.jar(), app.resolve("claude-backup.jar"));
        launcher = Files.copy(PROJECT.resolve("bin/claude-backup"), app.resolve("claude-backup"), StandardCopyOption.COPY_ATTRIBUTES);
        assertTrue(Files.isExecutable(launcher), "bin/claude-backup is executable (in git too)");
        Files.createDirectories(dir.resolve("home"));
    }

    Result run(Map<String, String> extra, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        // no LANG: the launcher itself picks a UTF-8 locale
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("HOME", dir.resolve("home").toString());
        env.putAll(extra);
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the launcher did not finish: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    static void assertOnlyChatLines(Result result) {
        assertEquals(0, result.exit(), result.stderr());
        assertFalse(result.stdout().isBlank(), "the demo's chats are listed");
        for (String line : result.stdout().split("\n")) {
            assertTrue(line.matches(CHAT_LINE), "stdout holds only UUID<TAB>NAME lines: \"" + line + "\"");
        }
    }

    @Test
    void makesItsClassArchiveOnceBesideTheJarAndStartsEveryRunFromIt() throws Exception {
        Path archive = app.resolve("claude-backup.jsa");

        Result first = run(Map.of(), "--demo", dir.resolve("backup-1").toString());
        assertOnlyChatLines(first);
        assertTrue(Files.size(archive) > 1_000_000, "the archive is made before the first run, beside the jar");
        FileTime made = Files.getLastModifiedTime(archive);

        Path classes = dir.resolve("classes.txt");
        Result second = run(Map.of("JAVA_OPTS", "-Xlog:class+load:file=" + classes), "--demo", dir.resolve("backup-2").toString());
        assertOnlyChatLines(second);
        assertEquals(made, Files.getLastModifiedTime(archive), "made once");
        String loaded = Files.readString(classes);
        assertTrue(loaded.contains("dev.claudebackup.cli.ClaudeBackup source: shared objects file (top)"),
                "the tool's classes come from the archive");

        try (Stream<Path> cached = Files.walk(dir.resolve("home/.cache/claude-backup"))) {
            assertTrue(cached.anyMatch(path -> path.getFileName().toString().startsWith("libsqlitejdbc")),
                    "the SQLite library is unpacked once into the user's cache");
        }
    }

    @Test
    void anArchiveOlderThanTheJarIsMadeAgain() throws Exception {
        Path archive = app.resolve("claude-backup.jsa");
        Files.writeString(archive, "an archive of another jar");
        Files.setLastModifiedTime(archive, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(60)));

        assertOnlyChatLines(run(Map.of(), "--demo", dir.resolve("backup").toString()));
        assertTrue(Files.size(archive) > 1_000_000, "made again for this jar");
    }

    @Test
    void anArchiveTheJvmCannotUseNeverReachesStdout() throws Exception {
        Path archive = dir.resolve("broken.jsa");
        Files.writeString(archive, "not an archive at all");

        Result result = run(Map.of("CLAUDE_BACKUP_CDS", archive.toString()), "--demo", dir.resolve("backup").toString());
        assertOnlyChatLines(result);
    }

    @Test
    void javaOptsComeLastSoTheyWin() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CLAUDE_BACKUP_CDS", "");
        env.put("JAVA_OPTS", "-XX:+PrintFlagsFinal");
        Result result = run(env, "--version");
        assertEquals(0, result.exit(), result.stderr());
        assertTrue(result.stdout().lines().anyMatch(line -> line.matches(".*\\bTieredStopAtLevel\\s+=\\s+1\\b.*")), "C1 only");
        assertTrue(result.stdout().lines().anyMatch(line -> line.matches(".*\\bC1MaxInlineSize\\s+=\\s+15\\b.*")), "C1 inlining less");
        assertTrue(result.stdout().lines().anyMatch(line -> line.matches(".*\\bUseSerialGC\\s+=\\s+true\\b.*")), "Serial GC");
        assertFalse(Files.exists(app.resolve("claude-backup.jsa")), "CLAUDE_BACKUP_CDS empty: no archive");
        assertTrue(result.stdout().lines().anyMatch(line -> line.matches(".*\\bInitialHeapSize\\s+=\\s+50331648\\b.*")),
                "a 48 MB heap from the start");
    }

    @Test
    void aHeapSizedByTheUserBelowTheLaunchersStartStillStarts() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("CLAUDE_BACKUP_CDS", "");
        env.put("JAVA_OPTS", "-Dsome.option=1\n-Xmx32m -XX:+PrintFlagsFinal"); // as a YAML block gives it
        Result result = run(env, "--version");
        assertEquals(0, result.exit(), result.stderr());
        assertTrue(result.stdout().lines().anyMatch(line -> line.matches(".*\\bMaxHeapSize\\s+=\\s+33554432\\b.*")), result.stdout());

        env.put("JAVA_OPTS", "");
        env.put("_JAVA_OPTIONS", "-Xmx32m");
        Result fromTheJvmsOwn = run(env, "--version");
        assertEquals(0, fromTheJvmsOwn.exit(), fromTheJvmsOwn.stderr());
    }
}
