package dev.claudebackup.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import dev.claudebackup.sync.ChatRef;

/**
 * What earlier runs saved, in a SQLite database in the state folder: which chat (uuid) was saved at
 * which {@code updated_at}, in which file, and which organizations were read to the end.
 *
 * <p>It is the Idempotent Consumer's repository, keyed {@code uuid updated_at}. A key is added only
 * when the exchange completed, that is after the chat's file was renamed into place (the consumer is
 * not eager), so a chat whose fetch or write failed, or whose run was killed, is fetched again. It
 * never forgets: unlike Camel's memory and file repositories it has no size limit.
 */
public final class SavedChats extends ServiceSupport implements IdempotentRepository {

    /** Raised when the state's layout changes; {@link #migrate} takes older ones forward. */
    static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "state.db";

    private final Path database;
    private Connection connection;

    public SavedChats(Path stateFolder) {
        this.database = stateFolder.resolve(FILE_NAME);
    }

    public synchronized void open() {
        if (connection != null) {
            return;
        }
        try {
            // 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode
            PrivateFiles.createFile(database);
            connection = DriverManager.getConnection("jdbc:sqlite:" + database);
            try (Statement statement = connection.createStatement()) {
                // WAL with synchronous=NORMAL survives a killed process; every commit is atomic.
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=NORMAL");
                statement.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                statement.execute("CREATE TABLE IF NOT EXISTS chats (uuid TEXT PRIMARY KEY, organization TEXT NOT NULL,"
                        + " updated_at TEXT NOT NULL, file TEXT NOT NULL, name TEXT)");
                statement.execute("CREATE TABLE IF NOT EXISTS organizations (uuid TEXT PRIMARY KEY,"
                        + " folder TEXT NOT NULL, complete INTEGER NOT NULL DEFAULT 0)");
            }
            migrate();
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("Cannot open the backup state " + database + ": " + e.getMessage(), e);
        }
    }

    private void migrate() throws SQLException {
        Optional<String> version = meta("format-version");
        if (version.isEmpty()) {
            setMeta("format-version", Integer.toString(FORMAT_VERSION));
        } else if (Integer.parseInt(version.get()) > FORMAT_VERSION) {
            throw new IllegalStateException("The backup state " + database + " has format version " + version.get()
                    + ", newer than this claude-backup understands (" + FORMAT_VERSION + "): please update claude-backup.");
        }
    }

    public static String key(String uuid, String updatedAt) {
        return uuid + " " + (updatedAt == null ? "" : updatedAt);
    }

    // --- IdempotentRepository ---

    @Override
    public synchronized boolean contains(String key) {
        String[] parts = key.split(" ", 2);
        return query("SELECT 1 FROM chats WHERE uuid = ? AND updated_at = ?", parts[0], parts[1]).isPresent();
    }

    /** Camel calls this once the chat's file is in place; the chat itself is an exchange property. */
    @Override
    public boolean add(Exchange exchange, String key) {
        ChatRef chat = exchange.getProperty(ChatRef.PROPERTY, ChatRef.class);
        String file = exchange.getProperty(ChatRef.SAVED_FILE_PROPERTY, String.class);
        if (chat == null || file == null || !key.equals(chat.idempotencyKey())) {
            return false; // never record a chat whose file was not written
        }
        record(chat, file);
        return true;
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("a saved chat is recorded with its file: use add(exchange, key)");
    }

    public synchronized void record(ChatRef chat, String file) {
        update("INSERT INTO chats (uuid, organization, updated_at, file, name) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT(uuid) DO UPDATE SET organization = excluded.organization,"
                + " updated_at = excluded.updated_at, file = excluded.file, name = excluded.name",
                chat.uuid(), chat.organizationUuid(), chat.updatedAt(), file, chat.name());
    }

    @Override
    public synchronized boolean remove(String key) {
        return update("DELETE FROM chats WHERE uuid = ?", key.split(" ", 2)[0]) > 0;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        update("DELETE FROM chats");
        update("DELETE FROM organizations");
    }

    // --- what else the sync asks ---

    /** The file (relative to the backup folder) the chat was last saved in. */
    public synchronized Optional<String> fileOf(String chatUuid) {
        return query("SELECT file FROM chats WHERE uuid = ?", chatUuid);
    }

    public synchronized Optional<String> folderOf(String organizationUuid) {
        return query("SELECT folder FROM organizations WHERE uuid = ?", organizationUuid);
    }

    public synchronized boolean isComplete(String organizationUuid) {
        return query("SELECT complete FROM organizations WHERE uuid = ?", organizationUuid).map("1"::equals).orElse(false);
    }

    /** Until {@link #organizationFinished} the organization counts as interrupted: the next run reads its whole list. */
    public synchronized void organizationStarted(String organizationUuid, String folder) {
        update("INSERT INTO organizations (uuid, folder, complete) VALUES (?, ?, 0)"
                + " ON CONFLICT(uuid) DO UPDATE SET folder = excluded.folder, complete = 0", organizationUuid, folder);
    }

    public synchronized void organizationFinished(String organizationUuid) {
        update("UPDATE organizations SET complete = 1 WHERE uuid = ?", organizationUuid);
    }

    /** Moves every chat file path of a renamed organization folder. */
    public synchronized void organizationMoved(String organizationUuid, String oldFolder, String newFolder) {
        update("UPDATE chats SET file = ? || substr(file, ?) WHERE organization = ? AND substr(file, 1, ?) = ?",
                newFolder, oldFolder.length() + 1, organizationUuid, oldFolder.length(), oldFolder);
        update("UPDATE organizations SET folder = ? WHERE uuid = ?", newFolder, organizationUuid);
    }

    public synchronized int chatCount(String organizationUuid) {
        return query("SELECT count(*) FROM chats WHERE organization = ?", organizationUuid).map(Integer::parseInt).orElse(0);
    }

    /** uuid and file of every chat saved for the organization. */
    public synchronized Map<String, String> chatFiles(String organizationUuid) {
        open();
        Map<String, String> files = new LinkedHashMap<>();
        try (PreparedStatement statement = prepare("SELECT uuid, file FROM chats WHERE organization = ?", organizationUuid);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                files.put(rows.getString(1), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the backup state " + database + ": " + e.getMessage(), e);
        }
        return files;
    }

    public synchronized void forget(String chatUuid) {
        update("DELETE FROM chats WHERE uuid = ?", chatUuid);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        close();
    }

    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // closing a read-only or vanished database: nothing left to save
            }
            connection = null;
        }
    }

    private Optional<String> meta(String key) throws SQLException {
        return query("SELECT value FROM meta WHERE key = ?", key);
    }

    private void setMeta(String key, String value) {
        update("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
    }

    private Optional<String> query(String sql, Object... arguments) {
        open();
        try (PreparedStatement statement = prepare(sql, arguments); ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the backup state " + database + ": " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... arguments) {
        open();
        try (PreparedStatement statement = prepare(sql, arguments)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot write the backup state " + database + ": " + e.getMessage(), e);
        }
    }

    private PreparedStatement prepare(String sql, Object... arguments) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < arguments.length; i++) {
            statement.setObject(i + 1, arguments[i]);
        }
        return statement;
    }
}
