package dev.claudebackup.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Where the backup goes when no BACKUP_DIR is given: each platform's place for an application's data. */
final class DefaultBackupDir {

    private DefaultBackupDir() {
    }

    static Path of(Map<String, String> environment, String osName, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String local = environment.get("LOCALAPPDATA");
            return (local != null && !local.isBlank() ? Path.of(local) : home.resolve("AppData").resolve("Local")).resolve("claude-backup");
        }
        if (os.startsWith("mac")) {
            return home.resolve("Library").resolve("Application Support").resolve("claude-backup");
        }
        String xdg = environment.get("XDG_DATA_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local").resolve("share")).resolve("claude-backup");
    }
}
