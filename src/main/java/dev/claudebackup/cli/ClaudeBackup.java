package dev.claudebackup.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.quartz.CronExpression;

import picocli.CommandLine;

import dev.claudebackup.cli.Configuration.ConfigurationException;
import dev.claudebackup.demo.FakeClaudeApi;
import dev.claudebackup.readable.RenderCommand;
import dev.claudebackup.report.Console;
import dev.claudebackup.report.ProgressMode;
import dev.claudebackup.search.SearchCommand;
import dev.claudebackup.search.ServeCommand;
import dev.claudebackup.store.SqliteNativeLibrary;
import dev.claudebackup.sync.ExitStatus;
import dev.claudebackup.verify.VerifyCommand;

/** The entry point: {@code java -jar claude-backup.jar [options] [BACKUP_DIR]}. */
public final class ClaudeBackup {

    /** The commands beside the backup itself, each in the package of what it does. */
    static final List<Supplier<OfflineCommand>> SUBCOMMANDS = List.of(RenderCommand::new, SearchCommand::new, ServeCommand::new, VerifyCommand::new);
    /** Their names, as their {@code @Command} says (CommandLineTest checks): read from it, they cost a tenth of what they save. */
    static final Set<String> SUBCOMMAND_NAMES = Set.of("render", "search", "serve", "verify");

    /** Set by main: the command is this process (tests call run in theirs, and keep sqlite-jdbc's own ways). */
    private static volatile boolean ownProcess;

    private ClaudeBackup() {
    }

    public static void main(String[] args) {
        Utf8FileNames.relaunchIfNeeded(args).ifPresent(System::exit);
        ownProcess = true;
        Shutdown shutdown = Shutdown.onSignals();
        ExitStatus status = run(args, System.getenv(), shutdown);
        shutdown.finished(status);
        System.exit(status.code());
    }

    /** Runs the command and returns its exit status; tests call this with their own environment. */
    public static ExitStatus run(String[] args, Map<String, String> environment) {
        return run(args, environment, new Shutdown());
    }

    /** Runs the command; {@code shutdown} stops it gracefully (from a signal, or from a test). */
    public static ExitStatus run(String[] args, Map<String, String> environment, Shutdown shutdown) {
        BackupCommand command = new BackupCommand();
        CommandLine commandLine = new CommandLine(command);
        // picocli reads every command's annotations as it is added: a backup (no command named, no help
        // asked, no @argfile that could do either) starts without the others, a tenth of a run with nothing new
        if (Arrays.stream(args).anyMatch(ClaudeBackup::mayNeedOtherCommands)) {
            SUBCOMMANDS.forEach(subcommand -> commandLine.addSubcommand(subcommand.get()));
        }
        // search's -word (leave out what has the word) is a query word, not an unknown option; a command
        // without such parameters still refuses it, as an unmatched argument
        commandLine.getSubcommands().values().forEach(subcommand -> subcommand.setUnmatchedOptionsArePositionalParams(true));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.ParseResult parsed;
        try {
            parsed = commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println(e.getMessage());
            System.err.println("Run with --help for the options.");
            return ExitStatus.USAGE;
        }
        if (parsed.hasSubcommand()) {
            return offline(parsed.subcommand(), environment);
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(new PrintWriter(System.out, true));
            return ExitStatus.OK;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(new PrintWriter(System.out, true));
            return ExitStatus.OK;
        }
        if (command.quiet && command.verbose) {
            System.err.println("--quiet and --verbose cannot be used together.");
            return ExitStatus.USAGE;
        }
        Logging.configure(command.verbose, command.quiet);
        if (ownProcess) {
            // after the logging is set: the SQLite driver's classes make their logger at once
            SqliteNativeLibrary.useCachedCopy(environment);
        }
        Console console = Console.system(command.quiet);
        try {
            return backup(command, command.propertiesGiven(parsed), environment, console, shutdown);
        } catch (ConfigurationException e) {
            console.error(e.getMessage());
            return ExitStatus.USAGE;
        }
    }

    /** A command's name, help (also in a cluster such as {@code -qh}), or an @argfile picocli expands later. */
    private static boolean mayNeedOtherCommands(String arg) {
        return SUBCOMMAND_NAMES.contains(arg) || arg.equals("--help") || arg.startsWith("@")
                || arg.length() > 1 && arg.charAt(0) == '-' && arg.charAt(1) != '-' && arg.indexOf('h') > 0;
    }

    /** A subcommand's own exit status, as an ExitStatus where it has one's meaning. */
    private static ExitStatus offline(CommandLine.ParseResult parsed, Map<String, String> environment) {
        CommandLine subcommand = parsed.commandSpec().commandLine();
        if (subcommand.isUsageHelpRequested()) {
            subcommand.usage(new PrintWriter(System.out, true));
            return ExitStatus.OK;
        }
        Logging.configure(false, false);
        if (ownProcess) {
            SqliteNativeLibrary.useCachedCopy(environment);
        }
        Console console = Console.system(false);
        try {
            return ExitStatus.of(((OfflineCommand) parsed.commandSpec().userObject()).run(environment, console));
        } catch (ConfigurationException e) {
            console.error(e.getMessage());
            return ExitStatus.USAGE;
        } catch (Exception e) {
            console.error(parsed.commandSpec().name() + " failed: " + e.getMessage());
            return ExitStatus.SOME_FAILED;
        }
    }

    private static ExitStatus backup(BackupCommand command, Map<String, String> given, Map<String, String> environment,
                                     Console plainConsole, Shutdown shutdown) throws ConfigurationException {
        Map<String, String> env = new HashMap<>(environment);
        FakeClaudeApi demoApi = null;
        if (command.demo != null) {
            demoApi = FakeClaudeApi.startDemo();
            given.put("claude.base-url", demoApi.baseUrl());
            env.put("CLAUDE_SESSION_KEY", FakeClaudeApi.DEMO_SESSION_KEY);
        }
        try {
            Configuration config = Configuration.load(command.config, env, given);
            Path backupDir = backupDir(command, config, env);
            config.set("backup.dir", backupDir.toString());
            shutdown.timeout(Duration.ofMillis(Math.round(config.getSeconds("backup.stop-timeout") * 1000)));
            String schedule = config.get("backup.schedule");
            CronExpression cron = schedule.isBlank() ? null : Schedule.parse(schedule);
            if (cron != null) {
                shutdown.scheduled();
            }
            Console console = withProgress(plainConsole, config, command.verbose);
            String sessionKey = SessionKeys.find(command, env, command.verbose, console);
            try (BackupApplication application = BackupApplication.start(config, sessionKey, command.routes, console)) {
                shutdown.guard(application.job());
                ExitStatus status = cron == null ? application.job().run() : Schedule.run(application.job(), cron, console);
                if (demoApi != null) {
                    console.info("The demo backup is in " + backupDir);
                }
                return status;
            } catch (ConfigurationException e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return ExitStatus.OK;
            } catch (Exception e) {
                console.error("claude-backup could not start: " + e.getMessage());
                return ExitStatus.USAGE;
            }
        } finally {
            if (demoApi != null) {
                demoApi.close();
            }
        }
    }

    /**
     * Progress as a bar on a terminal, as lines in a log ({@code backup.progress}). --verbose interleaves
     * Camel's own log lines, which a bar would overwrite: lines then, unless a bar was asked for.
     */
    private static Console withProgress(Console console, Configuration config, boolean verbose) throws ConfigurationException {
        ProgressMode mode;
        try {
            mode = ProgressMode.of(config.get("backup.progress"));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage());
        }
        if (verbose && mode == ProgressMode.AUTO) {
            mode = ProgressMode.LINES;
        }
        Duration interval = Duration.ofMillis(Math.round(config.getSeconds("backup.progress-interval") * 1000));
        return console.withProgress(mode, interval);
    }

    private static Path backupDir(BackupCommand command, Configuration config, Map<String, String> env) {
        if (command.demo != null && !command.demo.isEmpty()) {
            return Path.of(command.demo);
        }
        if (command.backupDir != null) {
            return command.backupDir;
        }
        if (!config.get("backup.dir").isBlank()) {
            return Path.of(config.get("backup.dir"));
        }
        if (command.demo != null) {
            return Path.of(System.getProperty("java.io.tmpdir"), "claude-demo");
        }
        return DefaultBackupDir.of(env, System.getProperty("os.name"), Path.of(System.getProperty("user.home")));
    }
}
