package dev.claudebackup.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.claudebackup.cli.ClaudeBackup;
import dev.claudebackup.cli.Shutdown;
import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.sync.ExitStatus;

/**
 * Runs the real command, routes and all, inside the test's JVM against a {@link FakeClaudeApi}, and
 * captures what it printed. Tests run one at a time (Surefire's default), so swapping System.out is safe.
 */
public final class BackupRunner {

    public static final String SESSION_KEY = "sk-ant-sid01-TEST-fake-key-0000";

    /** What a run printed and how it ended. */
    public record Result(ExitStatus status, String stdout, String stderr) {
        public List<String> stdoutLines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private BackupRunner() {
    }

    /** Backs up into {@code backupDir} from the API, with no delays, and any extra arguments. */
    public static Result backup(FakeClaudeApi api, Path backupDir, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--base-url", api.baseUrl(), "--success-delay", "0",
                "--min-retry-delay", "0.01", "--max-retry-delay", "0.05"));
        args.addAll(List.of(extraArgs));
        args.add(backupDir.toString());
        return run(environment(), args.toArray(String[]::new));
    }

    /** An environment with the test key and a HOME without browsers. */
    public static Map<String, String> environment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("CLAUDE_SESSION_KEY", SESSION_KEY);
        environment.put("HOME", System.getProperty("java.io.tmpdir") + "/claude-backup-test-home-without-browsers");
        return environment;
    }

    public static Result run(Map<String, String> environment, String... args) {
        return run(new Shutdown(), environment, args);
    }

    /** Runs the command; {@code shutdown.request()} from another thread stops it as SIGTERM would. */
    public static Result run(Shutdown shutdown, Map<String, String> environment, String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            ExitStatus status = ClaudeBackup.run(args, new HashMap<>(environment), shutdown);
            return new Result(status, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
