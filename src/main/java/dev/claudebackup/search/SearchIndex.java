package dev.claudebackup.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.claudebackup.search.IndexedDocument.Entry;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.PrivateFiles;

/**
 * The full-text index, {@code BACKUP_DIR/.claude-backup/search.db}: SQLite FTS5, derived from the JSON
 * only, so it can be deleted at any time and is rebuilt from the files ({@link BackupIndexer}).
 *
 * <p>Three tables: {@code documents} (what a hit links to: a chat, a project, a memory), the FTS5 table
 * {@code entries} (one row per message or part), and {@code messages} (per entry what a hit says of it:
 * the message's uuid, sender, whether it is on the branch claude.ai shows). {@code entries} is contentless:
 * the words are in the JSON already, and a snippet is made from there for the few hits shown
 * ({@link IndexSearch}), so the index stays smaller than the JSON it covers. An entry's rowid is its
 * document's id times {@link #ENTRIES_PER_DOCUMENT} plus its place in the document, so a document's
 * entries are one rowid range: replacing a chat deletes a range instead of scanning the table.
 *
 * <p>One connection; writes are serialized on this object and each document is one transaction with
 * the same prepared statements. Durability is relaxed (synchronous=OFF): what a power cut loses is
 * rebuilt from the JSON.
 */
public final class SearchIndex implements AutoCloseable {

    /** The layout. Raise it when the tables or what is indexed change: an older index is rebuilt. */
    static final int FORMAT_VERSION = 1;
    public static final String FILE_NAME = "search.db";
    static final long ENTRIES_PER_DOCUMENT = 1L << 20;
    static final String TOKENIZER = "unicode61 remove_diacritics 2";
    private static final String FORMAT_KEY = "format-version";

    private final Path database;
    private Connection connection;
    private PreparedStatement findDocument;
    private PreparedStatement insertDocument;
    private PreparedStatement updateDocument;
    private PreparedStatement deleteEntries;
    private PreparedStatement insertEntry;
    private PreparedStatement deleteMessages;
    private PreparedStatement insertMessage;

    public SearchIndex(BackupFolder backup) {
        this.database = backup.stateFolder().resolve(FILE_NAME);
    }

    /**
     * Opens the index, creating the file if there is none.
     *
     * @return whether it holds a complete index of this format; if not, it is empty and needs {@link BackupIndexer#rebuild}
     */
    public synchronized boolean open() throws IOException, SQLException {
        if (connection != null) {
            return true;
        }
        PrivateFiles.createFolders(database.getParent());
        boolean existed = Files.exists(database) && Files.size(database) > 0;
        try {
            connect();
            if (existed && formatVersion() == FORMAT_VERSION && "true".equals(meta("complete"))) {
                prepare();
                return true;
            }
        } catch (SQLException e) {
            if (!dev.claudebackup.store.DamagedStateException.isDamage(e)) {
                throw e; // busy (a run rebuilding it while serve reads), a full disk...: not a reason to delete it
            }
            // not a database, or a damaged one: it is derived, so it goes
            closeQuietly();
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Files.deleteIfExists(Path.of(database + suffix));
            }
            connect();
        }
        createTables();
        prepare();
        return false;
    }

    private void connect() throws IOException, SQLException {
        // 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode
        PrivateFiles.createFile(database);
        connection = DriverManager.getConnection("jdbc:sqlite:" + database);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout=10000");
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA synchronous=OFF");
            statement.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        }
    }

    /** A new, empty index of this format; one that was there (older, damaged, or half-built) is dropped. */
    private void createTables() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("DROP TABLE IF EXISTS entries");
            statement.execute("DROP TABLE IF EXISTS messages");
            statement.execute("DROP TABLE IF EXISTS documents");
            statement.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
                    + " organization_uuid TEXT, organization TEXT, project_uuid TEXT, name TEXT, updated_at TEXT,"
                    + " file TEXT NOT NULL, entries INTEGER NOT NULL DEFAULT 0, file_modified INTEGER)");
            statement.execute("CREATE INDEX documents_by_file ON documents (file)");
            // remove_diacritics 2: "cafe" finds "café" and the other way round, for every script's marks
            statement.execute("CREATE VIRTUAL TABLE entries USING fts5(body, content = '', contentless_delete = 1,"
                    + " tokenize = '" + TOKENIZER + "')");
            statement.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY, message TEXT, sender TEXT, on_branch INTEGER NOT NULL)");
            statement.execute("DELETE FROM meta");
            setMeta(FORMAT_KEY, Integer.toString(FORMAT_VERSION));
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void prepare() throws SQLException {
        findDocument = connection.prepareStatement("SELECT id, entries FROM documents WHERE uuid = ?");
        insertDocument = connection.prepareStatement("INSERT INTO documents (uuid, kind, organization_uuid, organization,"
                + " project_uuid, name, updated_at, file, entries, file_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        updateDocument = connection.prepareStatement("UPDATE documents SET kind = ?, organization_uuid = ?, organization = ?,"
                + " project_uuid = ?, name = ?, updated_at = ?, file = ?, entries = ?, file_modified = ? WHERE id = ?");
        deleteEntries = connection.prepareStatement("DELETE FROM entries WHERE rowid >= ?1 AND rowid < ?2");
        deleteMessages = connection.prepareStatement("DELETE FROM messages WHERE id >= ?1 AND id < ?2");
        insertEntry = connection.prepareStatement("INSERT INTO entries (rowid, body) VALUES (?, ?)");
        insertMessage = connection.prepareStatement("INSERT INTO messages (id, message, sender, on_branch) VALUES (?, ?, ?, ?)");
    }

    /** Runs the writes in one transaction: a rebuild puts many documents in each. */
    public synchronized void inTransaction(SqlWork work) throws SQLException {
        boolean outer = connection.getAutoCommit();
        if (outer) {
            connection.setAutoCommit(false);
        }
        try {
            work.run();
            if (outer) {
                connection.commit();
            }
        } catch (SQLException | RuntimeException e) {
            if (outer) {
                connection.rollback();
            }
            throw e;
        } finally {
            if (outer) {
                connection.setAutoCommit(true);
            }
        }
    }

    /** Something done with the database. */
    public interface SqlWork {
        void run() throws SQLException;
    }

    /**
     * Puts the document in the index in place of what it held for the same uuid (a renamed chat has a
     * new file and name, and the same uuid).
     */
    public synchronized void replace(IndexedDocument document, long fileModified) throws SQLException {
        inTransaction(() -> {
            if (document.entries().size() >= ENTRIES_PER_DOCUMENT) {
                throw new SQLException("more than " + ENTRIES_PER_DOCUMENT + " messages in " + document.file());
            }
            long id;
            findDocument.setString(1, document.uuid());
            try (ResultSet found = findDocument.executeQuery()) {
                id = found.next() ? found.getLong(1) : -1;
            }
            if (id < 0) {
                insertDocument.setString(1, document.uuid());
                bindDocument(insertDocument, 2, document, fileModified);
                insertDocument.executeUpdate();
                try (ResultSet keys = insertDocument.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            } else {
                deleteRange(id);
                int next = bindDocument(updateDocument, 1, document, fileModified);
                updateDocument.setLong(next, id);
                updateDocument.executeUpdate();
            }
            long rowid = id * ENTRIES_PER_DOCUMENT;
            for (Entry entry : document.entries()) {
                insertEntry.setLong(1, rowid);
                insertEntry.setString(2, entry.body());
                insertEntry.addBatch();
                insertMessage.setLong(1, rowid++);
                insertMessage.setString(2, entry.message());
                insertMessage.setString(3, entry.sender());
                insertMessage.setInt(4, entry.onCurrentBranch() ? 1 : 0);
                insertMessage.addBatch();
            }
            insertEntry.executeBatch();
            insertMessage.executeBatch();
        });
    }

    private void deleteRange(long id) throws SQLException {
        for (PreparedStatement statement : new PreparedStatement[] {deleteEntries, deleteMessages}) {
            statement.setLong(1, id * ENTRIES_PER_DOCUMENT);
            statement.setLong(2, (id + 1) * ENTRIES_PER_DOCUMENT);
            statement.executeUpdate();
        }
    }

    private static int bindDocument(PreparedStatement statement, int at, IndexedDocument document, long fileModified)
            throws SQLException {
        statement.setString(at++, document.kind().label());
        statement.setString(at++, document.organizationUuid());
        statement.setString(at++, document.organization());
        statement.setString(at++, document.projectUuid());
        statement.setString(at++, document.name());
        statement.setString(at++, document.updatedAt());
        statement.setString(at++, document.file());
        statement.setInt(at++, document.entries().size());
        statement.setLong(at++, fileModified);
        return at;
    }

    /** The modification time (ms) of each indexed file when it was indexed, by path relative to the backup folder. */
    public synchronized Map<String, Long> indexedFiles() throws SQLException {
        Map<String, Long> files = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT file, file_modified FROM documents")) {
            while (rows.next()) {
                files.put(rows.getString(1), rows.getLong(2));
            }
        }
        return files;
    }

    /** Takes the documents of these files (relative to the backup folder) out of the index. */
    public synchronized void remove(Iterable<String> files) throws SQLException {
        inTransaction(() -> {
            try (PreparedStatement find = connection.prepareStatement("SELECT id FROM documents WHERE file = ?");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM documents WHERE id = ?")) {
                for (String file : files) {
                    find.setString(1, file);
                    List<Long> ids = new java.util.ArrayList<>();
                    try (ResultSet rows = find.executeQuery()) {
                        while (rows.next()) {
                            ids.add(rows.getLong(1));
                        }
                    }
                    for (long id : ids) {
                        deleteRange(id);
                        delete.setLong(1, id);
                        delete.executeUpdate();
                    }
                }
            }
        });
    }

    /** Drops everything and marks the index incomplete, for a rebuild. */
    synchronized void clear() throws SQLException {
        setComplete(false);
        createTables();
    }

    /** Whether every file of the backup is in: set at the end of a rebuild; an interrupted one is started again. */
    synchronized void setComplete(boolean complete) throws SQLException {
        setMeta("complete", Boolean.toString(complete));
    }

    synchronized <T> T read(SqlRead<T> read) throws SQLException {
        return read.apply(connection);
    }

    /** A query of the database. */
    interface SqlRead<T> {
        T apply(Connection connection) throws SQLException;
    }

    private int formatVersion() throws SQLException {
        try {
            String stored = meta(FORMAT_KEY);
            return stored == null ? 0 : Integer.parseInt(stored);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String meta(String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            statement.setString(1, key);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private void setMeta(String key, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO meta (key, value) VALUES (?, ?)"
                + " ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
            statement.setString(1, key);
            statement.setString(2, value);
            statement.executeUpdate();
        }
    }

    public Path database() {
        return database;
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        for (Statement statement : new Statement[] {findDocument, insertDocument, updateDocument, deleteEntries, insertEntry,
                deleteMessages, insertMessage}) {
            try {
                if (statement != null) {
                    statement.close();
                }
            } catch (SQLException e) {
                // closing anyway
            }
        }
        findDocument = insertDocument = updateDocument = deleteEntries = insertEntry = deleteMessages = insertMessage = null;
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // closing anyway
        } finally {
            connection = null;
        }
    }
}
