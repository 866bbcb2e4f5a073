package dev.claudebackup.store;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteException;

/**
 * The state database is not a database ({@code SQLITE_NOTADB}: garbage, another file copied over it)
 * or is corrupt ({@code SQLITE_CORRUPT}, or its quick check finds damage). It is derived data: the
 * backup run sets it aside and rebuilds it from the chat files.
 */
public final class DamagedStateException extends IllegalStateException {

    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_NOTADB = 26;

    DamagedStateException(Path database, Throwable cause) {
        super("The backup state " + database + " is damaged: " + cause.getMessage(), cause);
    }

    private DamagedStateException(Path database, String problem) {
        super("The backup state " + database + " is damaged: " + problem);
    }

    /** Whether SQLite said the file is no database or a corrupt one (extended codes included). */
    public static boolean isDamage(SQLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException sqlite) {
                int primary = sqlite.getResultCode().code & 0xff;
                if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * SQLite's quick check (b-tree pages and records, not indexes against tables): a few milliseconds
     * per thousand chats, and corruption found at the start instead of in the middle of a run.
     */
    static void check(Path database, Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("PRAGMA quick_check")) {
            String result = rows.next() ? rows.getString(1) : "no answer to its quick check";
            if (!"ok".equals(result)) {
                throw new DamagedStateException(database, result);
            }
        }
    }
}
