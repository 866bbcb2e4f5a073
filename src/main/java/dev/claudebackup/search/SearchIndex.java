package dev.claudebackup.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.claudebackup.search.IndexedDocument.Entry;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.PrivateFiles;
import dev.claudebackup.store.SqliteConnections;

/**
 * The full-text index, {@code BACKUP_DIR/.claude-backup/search.db}: SQLite FTS5, derived from the JSON
 * only, so it can be deleted at any time and is rebuilt from the files ({@link BackupIndexer}).
 *
 * <p>Two tables: {@code documents} (what a hit links to: a chat, a project, a memory) and the FTS5 table
 * {@code document_words}, one row per document (its rowid is the document's id) with the words of its
 * human messages, of its assistant messages, and of the rest (name and summary, a project's instructions and
 * docs, a memory) in three columns, so that --sender is a column filter. One row per document, not per
 * message: a word in most messages is ranked over as many rows as there are chats, about a fifth of the
 * messages (bench/RESULTS.md). It is contentless: the words are in the JSON already, and which message
 * matched best (its uuid, sender, branch) and its snippet are read again from the JSON for the few hits
 * shown ({@link IndexSearch}), so the index stays smaller than the JSON it covers.
 *
 * <p>One connection; writes are serialized on this object and each document is one transaction with
 * the same prepared statements. Durability is relaxed (synchronous=OFF): what a power cut loses is
 * rebuilt from the JSON.
 */
public final class SearchIndex implements AutoCloseable {

    /** The layout. Raise it when the tables or what is indexed change: an older index is rebuilt. */
    static final int FORMAT_VERSION = 2;
    public static final String FILE_NAME = "search.db";
    static final String TOKENIZER = "unicode61 remove_diacritics 2";
    private static final String FORMAT_KEY = "format-version";
    /** document_words' columns: a sender's messages (as claude.ai names the sender), and the rest. */
    static final String HUMAN = "human";
    static final String ASSISTANT = "assistant";
    static final String OTHER = "other";
    private static final List<String> COLUMNS = List.of(HUMAN, ASSISTANT, OTHER);
    /**
     * Up to this many characters a document's columns are joined in Java; a longer one is joined by SQLite
     * (a copy of a 100 MB chat's text does not fit beside it in a small heap), which costs more CPU.
     */
    private static final long JOINED_IN_JAVA = 4_000_000;

    private final Path database;
    private Connection connection;
    private PreparedStatement findDocument;
    private PreparedStatement insertDocument;
    private PreparedStatement updateDocument;
    private PreparedStatement deleteWords;
    private PreparedStatement insertWords;
    private PreparedStatement insertJoinedWords;
    private PreparedStatement insertPending;
    private PreparedStatement clearPending;
    /** The statements of searches, prepared once per connection: serve asks the same ones on every request. */
    private final Map<String, PreparedStatement> searchStatements = new HashMap<>();

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
        connection = SqliteConnections.open(database);
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout=10000");
            statement.execute("PRAGMA journal_mode=WAL");
            statement.execute("PRAGMA synchronous=OFF");
            statement.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            // a document's entries on their way to its row of document_words (replace)
            statement.execute("CREATE TEMP TABLE words_pending (col TEXT NOT NULL, body TEXT NOT NULL)");
            // where a search puts the entries of its hits, read again from their JSON, to pick the best and its snippet
            statement.execute("CREATE VIRTUAL TABLE temp.entries_now USING fts5(body, sender UNINDEXED, tokenize = '"
                    + TOKENIZER + "')");
        }
    }

    /** A new, empty index of this format; one that was there (older, damaged, or half-built) is dropped. */
    private void createTables() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            closeSearchStatements();
            // entries and messages: format 1's tables, one row per message
            for (String table : List.of("entries", "messages", "document_words", "documents")) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
            statement.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,"
                    + " organization_uuid TEXT, organization TEXT, project_uuid TEXT, name TEXT, updated_at TEXT,"
                    + " file TEXT NOT NULL, entries INTEGER NOT NULL DEFAULT 0, file_modified INTEGER)");
            statement.execute("CREATE INDEX documents_by_file ON documents (file)");
            // remove_diacritics 2: "cafe" finds "café" and the other way round, for every script's marks
            // contentless_delete: a saved chat replaces its row without the old words (they are gone from the JSON)
            statement.execute("CREATE VIRTUAL TABLE document_words USING fts5(" + HUMAN + ", " + ASSISTANT + ", " + OTHER
                    + ", content = '', contentless_delete = 1, tokenize = '" + TOKENIZER + "')");
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
                + " project_uuid, name, updated_at, file, entries, file_modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
        updateDocument = connection.prepareStatement("UPDATE documents SET kind = ?, organization_uuid = ?, organization = ?,"
                + " project_uuid = ?, name = ?, updated_at = ?, file = ?, entries = ?, file_modified = ? WHERE id = ?");
        deleteWords = connection.prepareStatement("DELETE FROM document_words WHERE rowid = ?");
        insertPending = connection.prepareStatement("INSERT INTO temp.words_pending (col, body) VALUES (?, ?)");
        StringBuilder columns = new StringBuilder();
        for (String column : COLUMNS) {
            columns.append(", coalesce((SELECT group_concat(body, char(10) ORDER BY rowid) FROM temp.words_pending WHERE col = '")
                    .append(column).append("'), '')");
        }
        insertWords = connection.prepareStatement("INSERT INTO document_words (rowid, " + HUMAN + ", " + ASSISTANT + ", "
                + OTHER + ") VALUES (?, ?, ?, ?)");
        insertJoinedWords = connection.prepareStatement("INSERT INTO document_words (rowid, " + HUMAN + ", " + ASSISTANT + ", "
                + OTHER + ") SELECT ?" + columns);
        clearPending = connection.prepareStatement("DELETE FROM temp.words_pending");
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
            long id;
            findDocument.setString(1, document.uuid());
            try (ResultSet found = findDocument.executeQuery()) {
                id = found.next() ? found.getLong(1) : -1;
            }
            if (id < 0) {
                insertDocument.setString(1, document.uuid());
                bindDocument(insertDocument, 2, document, fileModified);
                try (ResultSet inserted = insertDocument.executeQuery()) {
                    inserted.next();
                    id = inserted.getLong(1);
                }
            } else {
                deleteWords(id);
                int next = bindDocument(updateDocument, 1, document, fileModified);
                updateDocument.setLong(next, id);
                updateDocument.executeUpdate();
            }
            long length = 0;
            for (Entry entry : document.entries()) {
                length += entry.body().length();
            }
            if (length <= JOINED_IN_JAVA) {
                insertWords.setLong(1, id);
                int at = 2;
                for (String column : COLUMNS) {
                    StringBuilder words = new StringBuilder();
                    for (Entry entry : document.entries()) {
                        if (columnOf(entry.sender()).equals(column)) {
                            words.append(entry.body()).append('\n');
                        }
                    }
                    insertWords.setString(at++, words.toString());
                }
                insertWords.executeUpdate();
            } else {
                // a chat can be hundreds of megabytes: its columns are joined by SQLite, out of the Java heap
                for (Entry entry : document.entries()) {
                    insertPending.setString(1, columnOf(entry.sender()));
                    insertPending.setString(2, entry.body());
                    insertPending.addBatch();
                }
                insertPending.executeBatch();
                insertJoinedWords.setLong(1, id);
                insertJoinedWords.executeUpdate();
                clearPending.executeUpdate();
            }
        });
    }

    /** The column of document_words that holds a message of this sender (null: not a message). */
    static String columnOf(String sender) {
        return HUMAN.equals(sender) ? HUMAN : ASSISTANT.equals(sender) ? ASSISTANT : OTHER;
    }

    private void deleteWords(long id) throws SQLException {
        deleteWords.setLong(1, id);
        deleteWords.executeUpdate();
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
                        deleteWords(id);
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
        // the pages of what was dropped go back to the file system (format 1 took a third more room)
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM");
        }
    }

    /** The backup's {@link dev.claudebackup.store.SourcesStamp} at the last refresh or rebuild, or null. */
    synchronized String sources() throws SQLException {
        return meta("sources");
    }

    synchronized void setSources(String stamp) throws SQLException {
        setMeta("sources", stamp);
    }

    /** Whether every file of the backup is in: set at the end of a rebuild; an interrupted one is started again. */
    synchronized void setComplete(boolean complete) throws SQLException {
        setMeta("complete", Boolean.toString(complete));
    }

    /**
     * Runs a search in one transaction, one snapshot of the index, that is rolled back at the end: a
     * search writes nothing but the temporary table it fills for its hits ({@link IndexSearch}), which
     * the rollback empties at no cost.
     */
    synchronized <T> T read(SqlRead<T> read) throws SQLException {
        connection.setAutoCommit(false);
        try {
            return read.apply(connection);
        } finally {
            try {
                connection.rollback();
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /** The statement of this SQL, prepared the first time it is asked for on this connection (inside {@link #read}). */
    synchronized PreparedStatement searchStatement(String sql) throws SQLException {
        PreparedStatement statement = searchStatements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            searchStatements.put(sql, statement);
        }
        return statement;
    }

    private void closeSearchStatements() {
        for (Statement statement : searchStatements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
        searchStatements.clear();
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
        closeSearchStatements();
        for (Statement statement : new Statement[] {findDocument, insertDocument, updateDocument, deleteWords, insertWords,
                insertJoinedWords, insertPending, clearPending}) {
            try {
                if (statement != null) {
                    statement.close();
                }
            } catch (SQLException e) {
                // closing anyway
            }
        }
        findDocument = insertDocument = updateDocument = deleteWords = insertWords = insertJoinedWords = insertPending = clearPending = null;
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
