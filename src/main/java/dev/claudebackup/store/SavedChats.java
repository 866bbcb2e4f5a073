package dev.claudebackup.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import dev.claudebackup.sync.ChatRef;

/**
 * What earlier runs saved, in a SQLite database in the state folder: which chat (uuid) was saved at
 * which {@code updated_at}, in which file, and which organizations were read to the end.
 *
 * <p>It is the Idempotent Consumer's repository, keyed {@code uuid updated_at}. The consumer is not
 * eager, and the record is made by {@link ChatFiles#saved} the moment the chat's file is in place,
 * before the chat is announced: so a chat whose fetch or write failed, or whose run was killed before
 * its file was renamed into place, is fetched again, and a chat printed as saved is never fetched
 * again. Camel's own {@link #add(Exchange, String)} on completion then finds the record there. It never
 * forgets: unlike Camel's memory and file repositories it has no size limit.
 *
 * <p>A version is {@code updated_at}. Showing another branch in the web page changes a chat's
 * {@code current_leaf_message_uuid} but not its {@code updated_at}: that is not a new version, and the
 * chat is not fetched again. Its file holds every branch already ({@code tree=True}); only the pointer
 * to the branch shown is as it was when the chat last changed (or at the next {@code --ignore-cache}).
 *
 * <p>The records of saved chats are committed in groups (at most {@link #GROUP_RECORDS} of them, or
 * {@link #GROUP_NANOS} after the first), every other statement joining the group open at the time,
 * instead of a commit (and its write-ahead log frames) per chat. SQLite's write-ahead log keeps each commit
 * whole, so a killed run leaves the state of some moment of the run, a chat recorded only after its
 * file was in place; at most the last group is lost, and the next run fetches those chats again.
 */
public final class SavedChats extends ServiceSupport implements IdempotentRepository {

    /** The state's layout. Raise it when the layout changes, and add the step from the one before to {@link #MIGRATIONS}. */
    static final int FORMAT_VERSION = 3;
    /** {@code MIGRATIONS.get(i)} takes a state of format {@code i + 1} to format {@code i + 2}. */
    private static final List<List<String>> MIGRATIONS = List.of(
            // 1 -> 2: the organization's name (for "Renaming organization OLD to NEW") and the chat list path
            // that answered 404; chats looked up by organization
            List.of("ALTER TABLE organizations ADD COLUMN name TEXT",
                    "ALTER TABLE organizations ADD COLUMN retired_list_path TEXT",
                    "CREATE INDEX IF NOT EXISTS chats_by_organization ON chats (organization)"),
            // 2 -> 3: each chat file's sha-256 at save time, for verify (chats saved before have none until saved again)
            List.of("ALTER TABLE chats ADD COLUMN sha256 TEXT"));
    public static final String FILE_NAME = "state.db";
    private static final String FORMAT_VERSION_KEY = "format-version";
    /** A group of records is committed when it holds this many, */
    static final int GROUP_RECORDS = 100;
    /** or at the first record this long after the group's first. */
    static final long GROUP_NANOS = 100_000_000L;
    /** In the name of a damaged state set aside: UTC, no colons (Windows). */
    private static final DateTimeFormatter DAMAGED_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss").withZone(ZoneOffset.UTC);

    private final BackupFolder backup;
    private final Path database;
    private final boolean refetchAll;
    private Connection connection;
    /** One prepared statement per SQL text, for the connection's life (SQLite parses a statement in microseconds, but per chat). */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private int pendingRecords;
    private long pendingSince;
    /** The folders of the open group's files: forced to disk before it is committed. */
    private final Set<Path> pendingFolders = new HashSet<>();
    /** What waits for the open group's commit (each chat's line on stdout), by the chat's key. */
    private final Map<String, Runnable> whenCommitted = new LinkedHashMap<>();
    /** How many of the open group's chat files were left unforced: the file system is synced before the commit. */
    private int pendingUnforced;
    /** The organizations of the open group's chats. */
    private final Set<String> pendingOrganizations = new HashSet<>();
    /** Organizations a group of whose records was dropped this process: none counts as finished, so the next run reads its whole list. */
    private final Set<String> lostOrganizations = new HashSet<>();
    /**
     * What the chats table holds of each chat looked up, by uuid (empty: no row), kept as this class
     * changes a row: the list, the Idempotent Consumer and the file's name each asked the table, three
     * queries per chat. A dropped group, a failed statement or a failed COMMIT (each may roll the open
     * group back) forgets it all, so nothing undone is remembered.
     */
    private final Map<String, Optional<SavedVersion>> lookedUp = new HashMap<>();
    /** {@link #lookedUp} holds every row of the table ({@link #savedChats} read it whole): a uuid it lacks has none. */
    private boolean everyRowLookedUp;

    /** A chat's row: the version saved and its file. */
    private record SavedVersion(String updatedAt, String file) {
    }

    /**
     * @param refetchAll {@code --ignore-cache}: the Idempotent Consumer sees no chat as saved, so every
     *                   chat is fetched again; the rest of the state (files, folders) still serves renames
     */
    public SavedChats(BackupFolder backup, boolean refetchAll) {
        this.backup = backup;
        this.database = backup.stateFolder().resolve(FILE_NAME);
        this.refetchAll = refetchAll;
    }

    /** Opens the state, creating or migrating it; throws {@link NewerFormatException} for a state this version cannot read. */
    public synchronized void open() {
        if (connection != null) {
            return;
        }
        try {
            // 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode
            PrivateFiles.createFile(database);
            connection = SqliteConnections.open(database);
            try (Statement statement = connection.createStatement()) {
                // The run lock makes this process the state's only user: in exclusive locking mode, set before
                // the first access in WAL mode, SQLite keeps the write-ahead log's index in heap memory, not in
                // a memory-mapped -shm file (a misbehaving, full or vanishing file system under a mapped file
                // kills the JVM with SIGBUS; a failed write is an error SQLite reports).
                statement.execute("PRAGMA locking_mode=EXCLUSIVE");
                // WAL with synchronous=NORMAL survives a killed process; every commit is atomic.
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=NORMAL");
                statement.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                DamagedStateException.check(database, statement);
            }
            migrate();
        } catch (SQLException e) {
            close();
            throw DamagedStateException.isDamage(e) ? new DamagedStateException(database, e)
                    : new IllegalStateException("Cannot open the backup state " + database + ": " + e.getMessage(), e);
        } catch (IOException e) {
            close();
            throw new IllegalStateException("Cannot open the backup state " + database + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Creates the tables of a new state, or takes an older format forward one step at a time. */
    private void migrate() throws SQLException {
        Optional<String> stored = query("SELECT value FROM meta WHERE key = ?", FORMAT_VERSION_KEY);
        int version;
        try {
            version = stored.map(Integer::parseInt).orElse(0);
        } catch (NumberFormatException e) {
            throw new NewerFormatException("The backup state " + database + " has an unknown format version \""
                    + stored.get() + "\"; it was not written by claude-backup, or by a newer one: please update claude-backup.");
        }
        if (version > FORMAT_VERSION) {
            throw new NewerFormatException("The backup state " + database + " has format version " + version
                    + ", newer than this claude-backup understands (" + FORMAT_VERSION + "): please update claude-backup.");
        }
        if (version == FORMAT_VERSION) {
            return;
        }
        // One transaction: a run killed while migrating leaves the state as it was.
        connection.setAutoCommit(false);
        try {
            createOrMigrate(version);
            setMeta(FORMAT_VERSION_KEY, Integer.toString(FORMAT_VERSION));
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private void createOrMigrate(int version) throws SQLException {
        if (version == 0) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS chats (uuid TEXT PRIMARY KEY, organization TEXT NOT NULL,"
                        + " updated_at TEXT NOT NULL, file TEXT NOT NULL, name TEXT, sha256 TEXT)");
                statement.execute("CREATE INDEX IF NOT EXISTS chats_by_organization ON chats (organization)");
                statement.execute("CREATE TABLE IF NOT EXISTS organizations (uuid TEXT PRIMARY KEY,"
                        + " folder TEXT NOT NULL, name TEXT, complete INTEGER NOT NULL DEFAULT 0, retired_list_path TEXT)");
            }
        } else {
            for (int from = version; from < FORMAT_VERSION; from++) {
                try (Statement statement = connection.createStatement()) {
                    for (String sql : MIGRATIONS.get(from - 1)) {
                        statement.execute(sql);
                    }
                }
            }
        }
    }

    public static String key(String uuid, String updatedAt) {
        return uuid + " " + (updatedAt == null ? "" : updatedAt);
    }

    // --- IdempotentRepository ---

    /** Whether this version of the chat was saved; with --ignore-cache, never. */
    @Override
    public boolean contains(String key) {
        if (refetchAll) {
            return false;
        }
        String[] parts = key.split(" ", 2);
        return isSaved(parts[0], parts.length > 1 ? parts[1] : "");
    }

    /** Whether the chat was saved at this {@code updated_at}, and its file is still there (one deleted by hand is fetched again). */
    public synchronized boolean isSaved(String uuid, String updatedAt) {
        commitIfDue(false); // a group stays open no longer than that while the list is paged through
        return lookUp(uuid).filter(saved -> saved.updatedAt().equals(updatedAt))
                .filter(saved -> Files.isRegularFile(backup.resolve(saved.file()))).isPresent();
    }

    /** The chat's row, read once until it changes (see {@link #lookedUp}). */
    private Optional<SavedVersion> lookUp(String uuid) {
        Optional<SavedVersion> known = lookedUp.get(uuid);
        if (known == null && everyRowLookedUp) {
            known = Optional.empty();
        } else if (known == null) {
            open();
            try (ResultSet rows = prepare("SELECT updated_at, file FROM chats WHERE uuid = ?", uuid).executeQuery()) {
                known = rows.next() ? Optional.of(new SavedVersion(rows.getString(1), rows.getString(2))) : Optional.empty();
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read the backup state " + database + ": " + e.getMessage(), e);
            }
            lookedUp.put(uuid, known);
        }
        return known;
    }

    /**
     * Camel calls this once the exchange completed, and ignores the answer: {@link ChatFiles#saved} recorded
     * the chat already (asking the state again cost a query and a look at the file per chat).
     */
    @Override
    public boolean add(Exchange exchange, String key) {
        ChatRef chat = exchange.getProperty(ChatRef.PROPERTY, ChatRef.class);
        return chat != null && key.equals(chat.idempotencyKey());
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("a saved chat is recorded with its file, by ChatFiles");
    }

    /**
     * Records that the chat, at its {@code updated_at}, is in this file (relative to the backup folder),
     * with the file's sha-256 as it is now (an adopted file's, read here).
     */
    public void record(ChatRef chat, String file) {
        String sha256;
        try {
            sha256 = FileDigests.sha256(backup.resolve(file));
        } catch (IOException unreadable) {
            sha256 = null; // verify then checks all but the hash
        }
        record(chat, file, sha256);
    }

    /** Records that the chat, at its {@code updated_at}, is in this file, whose sha-256 (hex) is this. */
    public synchronized void record(ChatRef chat, String file, String sha256) {
        record(chat, file, sha256, false, () -> { });
    }

    /**
     * Records the chat as {@link #record(ChatRef, String, String)} does; {@code committed} runs once the
     * record is committed (the chat's line on stdout: a chat printed is a chat saved, even after a kill).
     * {@code unforced}: its new file was not forced to disk ({@link BackupFolder#writeChat}); the backup's
     * file system is synced before the group is committed.
     */
    public synchronized void record(ChatRef chat, String file, String sha256, boolean unforced, Runnable committed) {
        open();
        boolean opensGroup = pendingRecords == 0;
        if (opensGroup) {
            setAutoCommit(false);
            pendingSince = System.nanoTime();
        }
        try {
            update("INSERT INTO chats (uuid, organization, updated_at, file, name, sha256) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT(uuid) DO UPDATE SET organization = excluded.organization,"
                    + " updated_at = excluded.updated_at, file = excluded.file, name = excluded.name, sha256 = excluded.sha256",
                    chat.uuid(), chat.organizationUuid(), chat.updatedAt(), file, chat.name(), sha256);
        } catch (RuntimeException e) {
            if (opensGroup) {
                setAutoCommit(true); // no group after all: the statements after this one commit on their own
            }
            throw e;
        }
        lookedUp.put(chat.uuid(), Optional.of(new SavedVersion(chat.updatedAt(), file))); // as just written (a drop forgets it)
        pendingRecords++;
        pendingFolders.add(backup.resolve(file).getParent());
        pendingOrganizations.add(chat.organizationUuid());
        if (unforced) {
            pendingUnforced++;
        }
        whenCommitted.put(chat.idempotencyKey(), committed);
        commitIfDue(pendingRecords >= GROUP_RECORDS);
    }

    /** Commits the open group when it is full or old enough; asked at every record and every chat looked up. */
    private void commitIfDue(boolean full) {
        if (pendingRecords > 0 && (full || System.nanoTime() - pendingSince >= GROUP_NANOS)) {
            commit();
        }
    }

    /** Commits the group of records open (and whatever joined it); the end of an organization and {@link #close()} do. */
    public synchronized void commit() {
        if (pendingRecords == 0 || connection == null) {
            return;
        }
        // the new files' bytes and the renames into place survive a power cut before the records that say
        // the chats are saved: one sync of the file system for the new files left unforced, one force per
        // folder and group
        if (pendingUnforced > 0) {
            try {
                backup.fileSystemSync().sync();
            } catch (IOException e) {
                int lost = pendingRecords;
                dropGroup();
                throw new IllegalStateException("The last " + lost + " chats saved are not recorded (" + e.getMessage()
                        + "); the next run fetches them again", e);
            }
        }
        pendingFolders.forEach(PrivateFiles::forceFolder);
        List<Runnable> committed = List.copyOf(whenCommitted.values());
        Set<String> organizations = Set.copyOf(pendingOrganizations);
        forgetGroup();
        try {
            setAutoCommit(true); // commits
        } catch (IllegalStateException e) {
            // SQLite rolled the group back (a full disk, an I/O error): as for a dropped group
            forgetLookedUp();
            markUnfinished(organizations);
            throw e;
        }
        committed.forEach(Runnable::run);
    }

    /**
     * Rolls the open group back: none of its chats is recorded, so the next run fetches and writes each
     * again, and none of its organizations counts as finished this run. A rollback that fails closes the
     * connection, which drops the group all the same (never a commit).
     */
    private void dropGroup() {
        Set<String> dropped = Set.copyOf(pendingOrganizations);
        forgetGroup();
        forgetLookedUp(); // rows read while the group was open may hold its records, undone now
        try {
            connection.rollback();
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            closeConnection();
        }
        markUnfinished(dropped);
    }

    /** Organizations whose records were lost: none counts as finished, so the next run reads their whole lists. */
    private void markUnfinished(Set<String> organizations) {
        lostOrganizations.addAll(organizations);
        try {
            for (String organization : organizations) {
                update("UPDATE organizations SET complete = 0 WHERE uuid = ?", organization); // on its own, after the rollback
            }
        } catch (IllegalStateException e) {
            // the state cannot be written at all: the failure the caller reports says enough
        }
    }

    private void forgetLookedUp() {
        lookedUp.clear();
        everyRowLookedUp = false;
    }

    /** What the open group gathered (its count, files, folders, organizations, lines to print): none is open now. */
    private void forgetGroup() {
        pendingRecords = 0;
        pendingUnforced = 0;
        pendingOrganizations.clear();
        pendingFolders.clear();
        whenCommitted.clear();
    }

    private void setAutoCommit(boolean on) {
        try {
            connection.setAutoCommit(on);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot write the backup state " + database + ": " + e.getMessage(), e);
        }
    }

    /** A chat as the state records it; {@code sha256} is null for one saved before format 3. */
    public record SavedChat(String uuid, String organization, String updatedAt, String file, String name, String sha256) {
    }

    /** Every chat the state records, by file. */
    public synchronized List<SavedChat> savedChats() {
        return inState(connection -> {
            List<SavedChat> chats = new ArrayList<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT uuid, organization, updated_at, file, name, sha256 FROM chats ORDER BY file")) {
                while (rows.next()) {
                    chats.add(new SavedChat(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6)));
                }
            }
            // read whole at the start of a run (lost files): the run's lookups need no query
            lookedUp.clear();
            chats.forEach(chat -> lookedUp.put(chat.uuid(), Optional.of(new SavedVersion(chat.updatedAt(), chat.file()))));
            everyRowLookedUp = true;
            return chats;
        });
    }

    /**
     * The organization's last run counts as unfinished, so the next one reads its whole list: for a chat
     * whose file has gone, which an early stop would not reach.
     */
    public synchronized void organizationUnfinished(String organizationUuid) {
        commit();
        update("UPDATE organizations SET complete = 0 WHERE uuid = ?", organizationUuid);
    }

    /**
     * Moves the damaged database (and its -wal and -shm files) aside as {@code state.db.damaged-DATE},
     * never deleting it; the next {@link #open} starts a new one. Returns where it went.
     */
    public synchronized Path setAsideDamaged() throws IOException {
        close();
        String date = DAMAGED_DATE.format(Instant.now());
        String suffix = ".damaged-" + date;
        for (int i = 2; Files.exists(database.resolveSibling(FILE_NAME + suffix)); i++) {
            suffix = ".damaged-" + date + "-" + i;
        }
        Path aside = database.resolveSibling(FILE_NAME + suffix);
        for (String part : List.of("", "-wal", "-shm")) {
            Path file = database.resolveSibling(FILE_NAME + part);
            if (Files.exists(file)) {
                Files.move(file, database.resolveSibling(FILE_NAME + suffix + part));
            }
        }
        return aside;
    }

    /**
     * Camel calls this when the exchange failed after all: only a record of this very version goes (one
     * made by this exchange, whose listeners then failed); an earlier version's record stays.
     */
    @Override
    public synchronized boolean remove(String key) {
        whenCommitted.remove(key); // recorded, then failed after: not printed as saved
        String[] parts = key.split(" ", 2);
        boolean removed = update("DELETE FROM chats WHERE uuid = ? AND updated_at = ?", parts[0], parts.length > 1 ? parts[1] : "") > 0;
        if (removed) {
            lookedUp.put(parts[0], Optional.empty());
        }
        return removed;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        forgetLookedUp();
        update("DELETE FROM chats");
        update("DELETE FROM organizations");
    }

    // --- what else the sync asks ---

    /** The file (relative to the backup folder) the chat was last saved in. */
    public synchronized Optional<String> fileOf(String chatUuid) {
        return lookUp(chatUuid).map(SavedVersion::file);
    }

    public synchronized Optional<String> folderOf(String organizationUuid) {
        return query("SELECT folder FROM organizations WHERE uuid = ?", organizationUuid);
    }

    /** The organization's name when it was last backed up. */
    public synchronized Optional<String> nameOf(String organizationUuid) {
        return query("SELECT name FROM organizations WHERE uuid = ?", organizationUuid);
    }

    /** Whether the last run that backed up the organization finished it: read its list and saved every chat in it. */
    public synchronized boolean isComplete(String organizationUuid) {
        return query("SELECT complete FROM organizations WHERE uuid = ?", organizationUuid).map("1"::equals).orElse(false);
    }

    /** Until {@link #organizationFinished} the organization counts as interrupted: the next run reads its whole list. */
    public synchronized void organizationStarted(String organizationUuid, String folder, String name) {
        commit(); // never in a group that could be dropped: the organization must count as interrupted
        lostOrganizations.remove(organizationUuid);
        update("INSERT INTO organizations (uuid, folder, name, complete) VALUES (?, ?, ?, 0)"
                + " ON CONFLICT(uuid) DO UPDATE SET folder = excluded.folder, name = excluded.name, complete = 0",
                organizationUuid, folder, name);
    }

    public synchronized void organizationFinished(String organizationUuid) {
        commit(); // first: a group dropped now leaves the organization unfinished
        if (lostOrganizations.contains(organizationUuid)) {
            return;
        }
        update("UPDATE organizations SET complete = 1 WHERE uuid = ?", organizationUuid);
    }

    /** Moves every chat file path of an organization whose folder was renamed. */
    public synchronized void organizationMoved(String organizationUuid, String oldFolder, String newFolder) {
        commit(); // the folder is moved on disk: its record is never in a group that could be dropped
        String oldPrefix = oldFolder + "/";
        forgetLookedUp();
        update("UPDATE chats SET file = ? || substr(file, ?) WHERE organization = ? AND substr(file, 1, ?) = ?",
                newFolder + "/", oldPrefix.length() + 1, organizationUuid, oldPrefix.length(), oldPrefix);
        update("UPDATE organizations SET folder = ? WHERE uuid = ?", newFolder, organizationUuid);
    }

    public synchronized int chatCount(String organizationUuid) {
        return query("SELECT count(*) FROM chats WHERE organization = ?", organizationUuid).map(Integer::parseInt).orElse(0);
    }

    /** uuid and file of every chat saved for the organization. */
    public synchronized Map<String, String> chatFiles(String organizationUuid) {
        open();
        Map<String, String> files = new LinkedHashMap<>();
        try (ResultSet rows = prepare("SELECT uuid, file FROM chats WHERE organization = ?", organizationUuid).executeQuery()) {
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
        lookedUp.put(chatUuid, Optional.empty());
    }

    /**
     * The organization's v1 chat list answered 404 at this path: later runs ask the v2 list at once, as
     * long as the v1 path configured is this one.
     */
    public synchronized void chatListRetired(String organizationUuid, String path) {
        update("UPDATE organizations SET retired_list_path = ? WHERE uuid = ?", path, organizationUuid);
    }

    public synchronized boolean isChatListRetired(String organizationUuid, String path) {
        return query("SELECT 1 FROM organizations WHERE uuid = ? AND retired_list_path = ?", organizationUuid, path).isPresent();
    }

    @Override
    protected synchronized void doStop() throws Exception {
        close();
    }

    public synchronized void close() {
        if (connection != null) {
            try {
                commit();
            } catch (IllegalStateException e) {
                // the last group of records is lost: the next run fetches those chats again
            } finally {
                forgetGroup();
                closeConnection();
            }
        }
        backup.closeFileSystemSync();
    }

    private void closeConnection() {
        statements.clear();
        forgetLookedUp();
        try {
            connection.close();
        } catch (SQLException e) {
            // closing a read-only or vanished database: nothing left to save
        }
        connection = null;
    }

    private void setMeta(String key, String value) {
        update("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);
    }

    private Optional<String> query(String sql, Object... arguments) {
        open();
        try (ResultSet rows = prepare(sql, arguments).executeQuery()) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the backup state " + database + ": " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... arguments) {
        open();
        try {
            return prepare(sql, arguments).executeUpdate();
        } catch (SQLException e) {
            forgetLookedUp(); // a failed statement may have rolled the open group back
            throw new IllegalStateException("Cannot write the backup state " + database + ": " + e.getMessage(), e);
        }
    }

    /** A statement of the cache, never to be closed by its user (only its result set). */
    private PreparedStatement prepare(String sql, Object... arguments) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        statement.clearParameters();
        for (int i = 0; i < arguments.length; i++) {
            statement.setObject(i + 1, arguments[i]);
        }
        return statement;
    }

    /** The state was written by a newer claude-backup (or is no state of ours): nothing is asked of claude.ai. */
    /**
     * Runs {@code work} on the state's one connection (the run lock makes this process its only user):
     * other parts of the backup (projects, files) keep their own tables in this database, created with
     * {@code CREATE TABLE IF NOT EXISTS} by their own classes, so a new table needs no format version.
     */
    public synchronized <T> T inState(StateWork<T> work) {
        open();
        try {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("The backup state " + database + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * One statement on the state's connection, prepared once for the connection's life: for the parts of
     * the state written per chat (their tables made first through {@link #inState}). It joins the open
     * group of records, if any.
     */
    public synchronized int execute(String sql, Object... arguments) {
        return update(sql, arguments);
    }

    /** Work on the state's connection. */
    @FunctionalInterface
    public interface StateWork<T> {
        T apply(Connection connection) throws SQLException;
    }

    public static final class NewerFormatException extends IllegalStateException {
        public NewerFormatException(String message) {
            super(message);
        }
    }
}
