package dev.claudebackup.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Without BACKUP_DIR, each platform's place for an application's data, as the README and --help say. */
class DefaultBackupDirTest {

    private static final Path HOME = Path.of("/home/alice");

    @Test
    void linuxUsesXdgDataHomeElseDotLocalShare() {
        assertEquals(Path.of("/data/alice/claude-backup"), DefaultBackupDir.of(Map.of("XDG_DATA_HOME", "/data/alice"), "Linux", HOME));
        assertEquals(HOME.resolve(".local/share/claude-backup"), DefaultBackupDir.of(Map.of(), "Linux", HOME));
        assertEquals(HOME.resolve(".local/share/claude-backup"), DefaultBackupDir.of(Map.of("XDG_DATA_HOME", " "), "Linux", HOME),
                "an empty XDG_DATA_HOME counts as unset");
        assertEquals(HOME.resolve(".local/share/claude-backup"), DefaultBackupDir.of(Map.of(), "FreeBSD", HOME), "other Unix alike");
    }

    @Test
    void macOsUsesApplicationSupport() {
        assertEquals(HOME.resolve("Library/Application Support/claude-backup"),
                DefaultBackupDir.of(Map.of("XDG_DATA_HOME", "/ignored"), "Mac OS X", HOME));
    }

    @Test
    void windowsUsesLocalAppDataElseTheUsualPlaceInTheProfile() {
        assertEquals(Path.of("C:/Users/alice/AppData/Local/claude-backup"),
                DefaultBackupDir.of(Map.of("LOCALAPPDATA", "C:/Users/alice/AppData/Local"), "Windows 11", HOME));
        assertEquals(HOME.resolve("AppData/Local/claude-backup"), DefaultBackupDir.of(Map.of(), "Windows 10", HOME));
    }
}
