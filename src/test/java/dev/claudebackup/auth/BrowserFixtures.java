package dev.claudebackup.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/** Builds fake browser profiles and cookie databases the way the browsers write them. */
final class BrowserFixtures {

    /** Seconds from 1601-01-01 (Chromium's epoch) to 1970-01-01. */
    private static final long WINDOWS_TO_UNIX_SECONDS = 11_644_473_600L;

    /** A row of the cookie table; expiry as an Instant, or null for a session cookie. */
    record Cookie(String host, String name, String value, Instant expiry) {
        static Cookie claude(String value, Instant expiry) {
            return new Cookie(".claude.ai", "sessionKey", value, expiry);
        }
    }

    private BrowserFixtures() {
    }

    // ---- Firefox ----

    /** Writes profiles.ini listing the given profiles as {name, relative path} pairs. */
    static void profilesIni(Path root, String... namesAndPaths) throws IOException {
        StringBuilder ini = new StringBuilder("[Install4F96D1932A9F858E]\nDefault=")
                .append(namesAndPaths[1]).append("\nLocked=1\n\n");
        for (int i = 0; i < namesAndPaths.length; i += 2) {
            ini.append("[Profile").append(i / 2).append("]\nName=").append(namesAndPaths[i])
                    .append("\nIsRelative=1\nPath=").append(namesAndPaths[i + 1]).append("\n\n");
        }
        ini.append("[General]\nStartWithLastProfile=1\nVersion=2\n");
        Files.createDirectories(root);
        Files.writeString(root.resolve("profiles.ini"), ini);
    }

    /** A cookies.sqlite with the given schema version (16 and later store expiry in milliseconds). */
    static Path firefoxCookies(Path database, int schemaVersion, Cookie... cookies) throws SQLException, IOException {
        Files.createDirectories(database.getParent());
        try (Connection connection = open(database)) {
            createFirefoxTable(connection, schemaVersion);
            insertFirefox(connection, schemaVersion, cookies);
        }
        return database;
    }

    static void createFirefoxTable(Connection connection, int schemaVersion) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE moz_cookies (id INTEGER PRIMARY KEY, originAttributes TEXT NOT NULL DEFAULT '',"
                    + " name TEXT, value TEXT, host TEXT, path TEXT, expiry INTEGER, lastAccessed INTEGER,"
                    + " creationTime INTEGER, isSecure INTEGER, isHttpOnly INTEGER,"
                    + " CONSTRAINT moz_uniqueid UNIQUE (name, host, path, originAttributes))");
            statement.execute("PRAGMA user_version = " + schemaVersion);
        }
    }

    static void insertFirefox(Connection connection, int schemaVersion, Cookie... cookies) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO moz_cookies (name, value, host, path, expiry, lastAccessed, creationTime, isSecure, isHttpOnly)"
                        + " VALUES (?, ?, ?, '/', ?, 0, 0, 1, 1)")) {
            for (Cookie cookie : cookies) {
                insert.setString(1, cookie.name());
                insert.setString(2, cookie.value());
                insert.setString(3, cookie.host());
                long expiry = cookie.expiry() == null ? 0
                        : schemaVersion >= 16 ? cookie.expiry().toEpochMilli() : cookie.expiry().getEpochSecond();
                insert.setLong(4, expiry);
                insert.executeUpdate();
            }
        }
    }

    // ---- Chromium ----

    /** A Cookies database; each cookie value is stored as given in {@code encrypted} (null: plaintext in {@code value}). */
    static Path chromiumCookies(Path database, int metaVersion, Cookie cookie, byte[] encrypted) throws SQLException, IOException {
        Files.createDirectories(database.getParent());
        try (Connection connection = open(database)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE meta (key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR)");
                statement.execute("INSERT INTO meta VALUES ('version', '" + metaVersion + "'), ('last_compatible_version', '18')");
                statement.execute("CREATE TABLE cookies (creation_utc INTEGER NOT NULL, host_key TEXT NOT NULL,"
                        + " top_frame_site_key TEXT NOT NULL DEFAULT '', name TEXT NOT NULL, value TEXT NOT NULL,"
                        + " encrypted_value BLOB NOT NULL, path TEXT NOT NULL, expires_utc INTEGER NOT NULL,"
                        + " is_secure INTEGER NOT NULL, is_httponly INTEGER NOT NULL, last_access_utc INTEGER NOT NULL,"
                        + " has_expires INTEGER NOT NULL, is_persistent INTEGER NOT NULL)");
            }
            addChromium(connection, cookie, encrypted);
        }
        return database;
    }

    static void addChromium(Path database, Cookie cookie, byte[] encrypted) throws SQLException {
        try (Connection connection = open(database)) {
            addChromium(connection, cookie, encrypted);
        }
    }

    private static void addChromium(Connection connection, Cookie cookie, byte[] encrypted) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO cookies (creation_utc, host_key, name, value, encrypted_value, path, expires_utc,"
                        + " is_secure, is_httponly, last_access_utc, has_expires, is_persistent)"
                        + " VALUES (0, ?, ?, ?, ?, '/', ?, 1, 1, 0, ?, ?)")) {
            insert.setString(1, cookie.host());
            insert.setString(2, cookie.name());
            insert.setString(3, encrypted == null ? cookie.value() : "");
            insert.setBytes(4, encrypted == null ? new byte[0] : encrypted);
            long expires = cookie.expiry() == null ? 0 : chromiumTime(cookie.expiry());
            insert.setLong(5, expires);
            insert.setInt(6, expires == 0 ? 0 : 1);
            insert.setInt(7, expires == 0 ? 0 : 1);
            insert.executeUpdate();
        }
    }

    /** Microseconds since 1601-01-01. */
    static long chromiumTime(Instant instant) {
        return (instant.getEpochSecond() + WINDOWS_TO_UNIX_SECONDS) * 1_000_000L + instant.getNano() / 1000;
    }

    /** Encrypts as Chromium does on Linux and macOS: prefix + AES-128-CBC(PBKDF2 key, IV of spaces). */
    static byte[] encrypt(String prefix, String password, int iterations, String hostKey, int metaVersion, String value) {
        try {
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), "saltysalt".getBytes(StandardCharsets.US_ASCII), iterations, 128))
                    .getEncoded();
            byte[] plain = value.getBytes(StandardCharsets.US_ASCII);
            if (metaVersion >= 24) {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(hostKey.getBytes(StandardCharsets.US_ASCII));
                byte[] withHash = new byte[hash.length + plain.length];
                System.arraycopy(hash, 0, withHash, 0, hash.length);
                System.arraycopy(plain, 0, withHash, hash.length, plain.length);
                plain = withHash;
            }
            Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec("                ".getBytes(StandardCharsets.US_ASCII)));
            return concat(prefix.getBytes(StandardCharsets.US_ASCII), cipher.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    // ---- both ----

    static void lastModified(Path file, Instant when) throws IOException {
        Files.setLastModifiedTime(file, FileTime.from(when));
    }

    static Connection open(Path database) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + database);
    }
}
