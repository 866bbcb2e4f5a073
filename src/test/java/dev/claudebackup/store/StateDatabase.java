package dev.claudebackup.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The state a run left in {@code .claude-backup/state.db}, read from the outside as another process would. */
public final class StateDatabase {

    private StateDatabase() {
    }

    public static Path of(Path backupDir) {
        return backupDir.resolve(BackupFolder.STATE_FOLDER).resolve(SavedChats.FILE_NAME);
    }

    /** uuid -> "updated_at file" of every chat recorded as saved. */
    public static Map<String, String> chats(Path backupDir) {
        Map<String, String> chats = new TreeMap<>();
        if (!Files.exists(of(backupDir))) {
            return chats;
        }
        query(backupDir, "SELECT uuid, updated_at, file FROM chats", rows -> {
            while (rows.next()) {
                chats.put(rows.getString(1), rows.getString(2) + " " + rows.getString(3));
            }
        });
        return chats;
    }

    public static Optional<String> formatVersion(Path backupDir) {
        String[] version = new String[1];
        query(backupDir, "SELECT value FROM meta WHERE key = 'format-version'", rows -> {
            if (rows.next()) {
                version[0] = rows.getString(1);
            }
        });
        return Optional.ofNullable(version[0]);
    }

    /** Runs SQL that changes the state, as a test setting a scene would. */
    public static void execute(Path backupDir, String... statements) throws Exception {
        Files.createDirectories(of(backupDir).getParent());
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + of(backupDir));
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @FunctionalInterface
    interface Rows {
        void read(ResultSet rows) throws SQLException;
    }

    private static void query(Path backupDir, String sql, Rows reader) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + of(backupDir));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            reader.read(rows);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + of(backupDir) + ": " + e.getMessage(), e);
        }
    }
}
