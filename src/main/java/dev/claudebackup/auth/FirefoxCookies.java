package dev.claudebackup.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** Reads the session key from a Firefox-family {@code cookies.sqlite}, where values are plain text. */
final class FirefoxCookies {

    /** Firefox 142 (cookie schema 16) began storing the expiry in milliseconds instead of seconds. */
    private static final int MILLISECOND_EXPIRY_SCHEMA = 16;

    private FirefoxCookies() {
    }

    static String sessionKey(Connection database, Instant now) throws SQLException, CookieUnavailableException {
        boolean milliseconds = schemaVersion(database) >= MILLISECOND_EXPIRY_SCHEMA;
        Instant lastExpiry = null;
        boolean malformed = false;
        try (PreparedStatement query = database.prepareStatement(
                "SELECT value, expiry FROM moz_cookies WHERE name = ? AND host IN (?, ?) ORDER BY expiry DESC")) {
            query.setString(1, ClaudeCookie.NAME);
            query.setString(2, ClaudeCookie.HOSTS.get(0));
            query.setString(3, ClaudeCookie.HOSTS.get(1));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long expiry = rows.getLong("expiry");
                    if (expiry > 0) { // 0: a session cookie, valid while the browser runs
                        Instant expires = milliseconds ? Instant.ofEpochMilli(expiry) : Instant.ofEpochSecond(expiry);
                        if (!expires.isAfter(now)) {
                            lastExpiry = lastExpiry == null || expires.isAfter(lastExpiry) ? expires : lastExpiry;
                            continue;
                        }
                    }
                    String value = rows.getString("value");
                    if (SessionKey.isCookieValue(value)) {
                        return value;
                    }
                    malformed = true;
                }
            }
        }
        if (malformed) {
            throw ClaudeCookie.malformed();
        }
        throw lastExpiry != null ? ClaudeCookie.expired(lastExpiry) : ClaudeCookie.missing();
    }

    private static int schemaVersion(Connection database) throws SQLException {
        try (Statement statement = database.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA user_version")) {
            return result.next() ? result.getInt(1) : 0;
        }
    }
}
