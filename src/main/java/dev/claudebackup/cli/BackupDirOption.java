package dev.claudebackup.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine.Option;

import dev.claudebackup.cli.Configuration.ConfigurationException;

/**
 * {@code --dir} and {@code --config} of the commands that work on a backup already on disk (render,
 * search, serve, verify): no session key, no network. Without {@code --dir}, the folder a backup run
 * would use: backup.dir from --config or BACKUP_DIR, else the platform's default.
 */
public final class BackupDirOption {

    @Option(names = "--dir", paramLabel = "BACKUP_DIR", description = "The backup folder (default: the one a backup run uses).")
    Path dir;

    @Option(names = "--config", paramLabel = "FILE", description = "A properties file overriding the built-in application.properties.")
    Path config;

    /** The properties in force (built-in, --config, environment), with backup.dir resolved. */
    public Configuration configuration(Map<String, String> environment) throws ConfigurationException {
        Configuration configuration = Configuration.load(config, environment, Map.of());
        configuration.set("backup.dir", folder(configuration, environment).toString());
        return configuration;
    }

    /** The backup folder, which must exist and hold a backup (account.json or organizations/). */
    public Path existingBackup(Map<String, String> environment) throws ConfigurationException {
        Path folder = Path.of(configuration(environment).get("backup.dir"));
        if (!Files.isDirectory(folder)
                || !(Files.exists(folder.resolve("account.json")) || Files.isDirectory(folder.resolve("organizations")))) {
            throw new ConfigurationException("There is no backup in " + folder + " (give its folder with --dir).");
        }
        return folder;
    }

    private Path folder(Configuration configuration, Map<String, String> environment) {
        if (dir != null) {
            return dir;
        }
        if (!configuration.get("backup.dir").isBlank()) {
            return Path.of(configuration.get("backup.dir"));
        }
        return DefaultBackupDir.of(environment, System.getProperty("os.name"), Path.of(System.getProperty("user.home")));
    }
}
