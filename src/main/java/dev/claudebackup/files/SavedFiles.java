package dev.claudebackup.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SavedChats;

/**
 * The files part of the backup state, in tables of its own in {@code state.db}: each file by its uuid
 * (the variant fetched, its path, size and SHA-256, or why it is not on claude.ai any more), and the chats
 * and projects whose files were all looked at.
 *
 * <p>A file is immutable by its uuid: once saved it is never asked for again while its file is there
 * with its size (a later run, a changed or renamed chat, {@code --ignore-cache}); a file claude.ai
 * answered 404, 410 or a 403 permission error for is never asked for again.
 */
public final class SavedFiles {

    /** What the state says of a file. */
    public enum Status { SAVED, UNAVAILABLE, TOO_LARGE }

    /** A file's row; {@code owner} is the chat or project it was recorded for (null in rows recorded before it was kept). */
    public record Saved(String uuid, String variant, String path, long size, String sha256, Status status, String reason,
                        String owner) {
    }

    private final SavedChats state;
    private final BackupFolder backup;
    private volatile boolean created;
    private volatile Second lastSecond;

    public SavedFiles(SavedChats state, BackupFolder backup) {
        this.state = state;
        this.backup = backup;
    }

    private void createTables(Connection connection) throws SQLException {
        if (created) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS files (uuid TEXT PRIMARY KEY, variant TEXT, path TEXT,"
                    + " size INTEGER, sha256 TEXT, status TEXT NOT NULL, reason TEXT, recorded_at TEXT NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS file_owners_looked_at (uuid TEXT PRIMARY KEY, kind TEXT NOT NULL,"
                    + " looked_at TEXT NOT NULL)");
            // the owner came later: a state made before has the table without it
            boolean hasOwner = false;
            try (ResultSet columns = statement.executeQuery("PRAGMA table_info(files)")) {
                while (columns.next()) {
                    hasOwner |= columns.getString("name").equals("owner");
                }
            }
            if (!hasOwner) {
                statement.execute("ALTER TABLE files ADD COLUMN owner TEXT");
            }
        }
        created = true;
    }

    public Optional<Saved> find(String uuid) {
        return state.inState(connection -> {
            createTables(connection);
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM files WHERE uuid = ?")) {
                statement.setString(1, uuid);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next() ? Optional.of(saved(row)) : Optional.empty();
                }
            }
        });
    }

    /** Every file saved (not those gone from claude.ai or too large), for {@code verify}. */
    public java.util.List<Saved> savedFiles() {
        return state.inState(connection -> {
            createTables(connection);
            java.util.List<Saved> found = new java.util.ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM files WHERE status = ? ORDER BY path")) {
                statement.setString(1, Status.SAVED.name());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(saved(rows));
                    }
                }
            }
            return found;
        });
    }

    /**
     * Forgets a saved file (set aside by {@code verify --repair}) and that its owner was looked at, so the
     * next run reads the owner again from its file and fetches exactly this file (the owner's other files
     * are whole). A row recorded before owners were kept forgets every owner's mark: the next run reads
     * every chat and project from disk once, and still fetches only what is not whole.
     */
    public void forget(String uuid) {
        state.inState(connection -> {
            createTables(connection);
            String owner = null;
            try (PreparedStatement statement = connection.prepareStatement("SELECT owner FROM files WHERE uuid = ?")) {
                statement.setString(1, uuid);
                try (ResultSet row = statement.executeQuery()) {
                    owner = row.next() ? row.getString(1) : null;
                }
            }
            try (PreparedStatement statement = connection.prepareStatement(owner == null
                    ? "DELETE FROM file_owners_looked_at" : "DELETE FROM file_owners_looked_at WHERE uuid = ?")) {
                if (owner != null) {
                    statement.setString(1, owner);
                }
                statement.executeUpdate();
            }
            try (PreparedStatement statement = connection.prepareStatement("DELETE FROM files WHERE uuid = ?")) {
                statement.setString(1, uuid);
                return statement.executeUpdate();
            }
        });
    }

    private static final String COLUMNS = "uuid, variant, path, size, sha256, status, reason, owner";

    private static Saved saved(ResultSet row) throws SQLException {
        return new Saved(row.getString(1), row.getString(2), row.getString(3), row.getLong(4), row.getString(5),
                Status.valueOf(row.getString(6)), row.getString(7), row.getString(8));
    }

    /**
     * Whether the file was saved and is still there, whole (its recorded size): at its recorded path, or
     * (its organization's folder renamed since) in the folder it belongs in now, where the recorded path
     * then follows it.
     */
    public boolean isSavedAndWhole(NamedFile file) {
        Optional<Saved> saved = find(file.uuid()).filter(row -> row.status() == Status.SAVED);
        if (saved.isEmpty()) {
            return false;
        }
        Saved row = saved.get();
        if (hasSize(row.path(), row.size())) {
            return true;
        }
        Optional<String> moved = findInFolder(file.owner().filesFolder(), file.uuid()).filter(path -> hasSize(path, row.size()));
        moved.ifPresent(path -> record(new Saved(row.uuid(), row.variant(), path, row.size(), row.sha256(), Status.SAVED, null,
                row.owner())));
        return moved.isPresent();
    }

    /** The file of this uuid in the folder (relative to the backup folder), found as readers find it: {@code *-<uuid>.*}. */
    public Optional<String> findInFolder(String folder, String uuid) {
        Path dir;
        try {
            dir = backup.resolve(folder);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "*-" + uuid + ".*")) {
            for (Path path : found) {
                if (Files.isRegularFile(path) && !path.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)) {
                    return Optional.of(backup.relativize(path));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private boolean hasSize(String path, long size) {
        if (path == null) {
            return false;
        }
        try {
            Path file = backup.resolve(path);
            return Files.isRegularFile(file) && Files.size(file) == size;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    public void saved(NamedFile file, String path, long size, String sha256) {
        record(new Saved(file.uuid(), file.variant(), path, size, sha256, Status.SAVED, null, file.owner().uuid()));
    }

    public void unavailable(NamedFile file, String reason) {
        record(new Saved(file.uuid(), file.variant(), null, -1, null, Status.UNAVAILABLE, reason, file.owner().uuid()));
    }

    /** Bigger than backup.files.max-size-mb: not asked for again while the limit is below {@code size}. */
    public void tooLarge(NamedFile file, long size) {
        record(new Saved(file.uuid(), file.variant(), null, size, null, Status.TOO_LARGE, null, file.owner().uuid()));
    }

    private void record(Saved row) {
        state.inState(connection -> {
            createTables(connection);
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO files (uuid, variant, path, size, sha256, status, reason, recorded_at, owner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT(uuid) DO UPDATE SET variant = excluded.variant, path = excluded.path, size = excluded.size,"
                            + " sha256 = excluded.sha256, status = excluded.status, reason = excluded.reason, recorded_at = excluded.recorded_at,"
                            + " owner = excluded.owner")) {
                statement.setString(1, row.uuid());
                statement.setString(2, row.variant());
                statement.setString(3, row.path());
                statement.setLong(4, row.size());
                statement.setString(5, row.sha256());
                statement.setString(6, row.status().name());
                statement.setString(7, row.reason());
                statement.setString(8, Instant.now().toString());
                statement.setString(9, row.owner());
                return statement.executeUpdate();
            }
        });
    }

    /** Every file the chat or project names was settled: it is not read again for its files until it changes. */
    public void lookedAt(FileOwner owner) {
        if (!created) {
            state.inState(connection -> {
                createTables(connection);
                return null;
            });
        }
        // once per chat saved: a statement kept by the state, not prepared anew
        state.execute("INSERT INTO file_owners_looked_at (uuid, kind, looked_at) VALUES (?, ?, ?)"
                + " ON CONFLICT(uuid) DO UPDATE SET looked_at = excluded.looked_at", owner.uuid(), owner.kind(), thisSecond());
    }

    /** The time now, to the second, made into text once a second: formatting an Instant per chat cost 1 % of the fetch threads. */
    private String thisSecond() {
        long second = System.currentTimeMillis() / 1000;
        Second last = lastSecond;
        if (last == null || last.epochSecond() != second) {
            last = new Second(second, Instant.ofEpochSecond(second).toString());
            lastSecond = last;
        }
        return last.text();
    }

    private record Second(long epochSecond, String text) {
    }

    /** Every chat and project looked at, in one query: the catch-up asks this of every chat of the backup each run. */
    public java.util.Set<String> lookedAt() {
        return state.inState(connection -> {
            createTables(connection);
            java.util.Set<String> uuids = new java.util.HashSet<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT uuid FROM file_owners_looked_at")) {
                while (rows.next()) {
                    uuids.add(rows.getString(1));
                }
            }
            return uuids;
        });
    }

    public boolean isLookedAt(String ownerUuid) {
        return state.inState(connection -> {
            createTables(connection);
            try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM file_owners_looked_at WHERE uuid = ?")) {
                statement.setString(1, ownerUuid);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next();
                }
            }
        });
    }
}
