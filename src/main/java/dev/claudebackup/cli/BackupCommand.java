package dev.claudebackup.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The command line: the Python claude-backup's options and defaults, and a few more. */
@Command(name = "claude-backup", sortOptions = false, usageHelpAutoWidth = true,
        versionProvider = BackupCommand.Version.class, defaultValueProvider = BackupCommand.BuiltInDefaults.class,
        description = {
                "Backs up every chat of every organization of your Claude.ai account, with every branch, as the JSON"
                        + " claude.ai returns. Each run fetches only what changed since the last one.",
                "",
                "The session key (claude.ai's sessionKey cookie) comes from CLAUDE_SESSION_KEY,"
                        + " --session-key-file / CLAUDE_SESSION_KEY_FILE, or your browser's cookies.",
                ""},
        footer = {"", "Exit status: 0 all saved, 1 some chats failed (the rest were saved), 2 bad usage or configuration,"
                + " 3 claude.ai refused the session key or blocked the request."})
public final class BackupCommand {

    /** Options that set a property: the option's longest name to the property. */
    static final Map<String, String> PROPERTIES = Map.of(
            "--connections", "backup.connections",
            "--success-delay", "backup.success-delay",
            "--retries", "backup.retries",
            "--min-retry-delay", "backup.min-retry-delay",
            "--max-retry-delay", "backup.max-retry-delay",
            "--ignore-cache", "backup.ignore-cache",
            "--base-url", "claude.base-url",
            "--schedule", "backup.schedule");

    /** Options that switch a property off: the option to the property set to false. */
    static final Map<String, String> SWITCHED_OFF = Map.of("--no-files", "backup.files.enabled");

    @Parameters(index = "0", arity = "0..1", paramLabel = "BACKUP_DIR", defaultValue = CommandLine.Option.NULL_VALUE,
            description = "Where the backup goes (default: $XDG_DATA_HOME/claude-backup or ~/.local/share/claude-backup;"
                    + " ~/Library/Application Support/claude-backup on macOS; %%LOCALAPPDATA%%\\claude-backup on Windows).")
    Path backupDir;

    @Option(names = {"-c", "--connections"}, paramLabel = "N", description = "Requests in flight at once, at most (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = {"-s", "-d", "--success-delay"}, paramLabel = "SECONDS",
            description = "Seconds between the starts of two chat fetches; 0 = no pause (default: ${DEFAULT-VALUE}).")
    double successDelay;

    @Option(names = {"-r", "--retries"}, paramLabel = "N", description = "Retries of a failed request (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--min-retry-delay", paramLabel = "SECONDS", description = "First retry's pause, doubled each time (default: ${DEFAULT-VALUE}).")
    double minRetryDelay;

    @Option(names = "--max-retry-delay", paramLabel = "SECONDS", description = "Longest pause between retries (default: ${DEFAULT-VALUE}).")
    double maxRetryDelay;

    @Option(names = "--ignore-cache", description = "Fetch everything again; then remove local copies of chats deleted on claude.ai"
            + " (only when every list was read and nothing failed).")
    boolean ignoreCache;

    @Option(names = "--no-files", description = "Do not save the images, PDFs and documents of chats and projects"
            + " (backup.files.enabled=false).")
    boolean noFiles;

    @Option(names = "--base-url", paramLabel = "URL", description = "claude.ai's address; also CLAUDE_BASE_URL (default: ${DEFAULT-VALUE}).")
    String baseUrl;

    @Option(names = "--session-key-file", paramLabel = "FILE", description = "Read the session key from this file (e.g. a mounted Kubernetes secret);"
            + " also CLAUDE_SESSION_KEY_FILE.")
    Path sessionKeyFile;

    @Option(names = "--browser", paramLabel = "NAME", description = "Look for the session cookie only in this browser:"
            + " firefox, librewolf, chrome, chromium, brave, edge, vivaldi, opera.")
    String browser;

    @Option(names = "--routes", paramLabel = "DIR", description = "Also load the Camel routes (*.camel.yaml) in this folder.")
    Path routes;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file overriding the built-in application.properties.")
    Path config;

    @Option(names = "--schedule", paramLabel = "CRON", description = "Keep running and back up on this Quartz cron schedule,"
            + " e.g. \"0 0 * * * ?\" (hourly). Default: run once and exit.")
    String schedule;

    @Option(names = "--no-readable", description = "Do not write the readable copy (readable/: Markdown, pages, index.html)"
            + " this run; also READABLE_ENABLED=false.")
    boolean noReadable;

    @Option(names = "--demo", arity = "0..1", paramLabel = "DIR", fallbackValue = "", defaultValue = CommandLine.Option.NULL_VALUE,
            description = "Back up a small sample account served on loopback inside this process, into DIR (no account needed).")
    String demo;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors on stderr.")
    boolean quiet;

    @Option(names = "--verbose", description = "Also print Camel's own logs, and where the session key came from.")
    boolean verbose;

    @Option(names = {"-v", "--version"}, versionHelp = true, description = "Print the version and exit.")
    boolean version;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    /** The properties the user set on the command line (not the defaults shown in the help). */
    Map<String, String> propertiesGiven(CommandLine.ParseResult parsed) {
        Map<String, String> given = new LinkedHashMap<>();
        for (OptionSpec option : parsed.matchedOptions()) {
            String property = PROPERTIES.get(option.longestName());
            if (property != null) {
                given.put(property, String.valueOf((Object) option.getValue()));
            }
            String switchedOff = SWITCHED_OFF.get(option.longestName());
            if (switchedOff != null && Boolean.TRUE.equals(option.getValue())) {
                given.put(switchedOff, "false");
            }
        }
        if (noReadable) {
            given.put("readable.enabled", "false");
        }
        return given;
    }

    /** The help shows the built-in application.properties' values as defaults. */
    public static final class BuiltInDefaults implements CommandLine.IDefaultValueProvider {
        private final Properties builtIn = Configuration.builtIn();

        @Override
        public String defaultValue(ArgSpec argument) {
            if (argument instanceof OptionSpec option) {
                String property = PROPERTIES.get(option.longestName());
                if (property != null) {
                    String value = builtIn.getProperty(property);
                    return value == null || value.isEmpty() ? null : value;
                }
            }
            return null;
        }
    }

    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BackupCommand.class.getPackage().getImplementationVersion();
            return new String[] {"claude-backup " + (version == null ? "(development build)" : version)};
        }
    }
}
