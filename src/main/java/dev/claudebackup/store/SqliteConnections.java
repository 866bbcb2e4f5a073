package dev.claudebackup.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Connections to claude-backup's own SQLite databases: the state and the search index. */
public final class SqliteConnections {

    private SqliteConnections() {
    }

    /**
     * Without generated keys: with them on (sqlite-jdbc's default), every INSERT is followed by a
     * {@code SELECT last_insert_rowid()} prepared and run anew, asked for or not: 3 % of a full backup's
     * fetch threads. An INSERT that needs its row's id says {@code RETURNING}.
     */
    public static Connection open(Path database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("jdbc.get_generated_keys", "false");
        return DriverManager.getConnection("jdbc:sqlite:" + database, properties);
    }
}
