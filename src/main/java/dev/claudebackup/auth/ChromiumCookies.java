package dev.claudebackup.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Reads the session key from a Chromium-family {@code Cookies} database. */
final class ChromiumCookies {

    /** expires_utc counts microseconds from 1601-01-01, the Windows epoch. */
    private static final Instant WINDOWS_EPOCH = Instant.parse("1601-01-01T00:00:00Z");

    private final ChromiumCookieDecryptor decryptor;

    ChromiumCookies(ChromiumCookieDecryptor decryptor) {
        this.decryptor = decryptor;
    }

    String sessionKey(Connection database, Browser browser, Instant now) throws SQLException, CookieUnavailableException {
        int version = databaseVersion(database);
        Instant lastExpiry = null;
        CookieUnavailableException unreadable = null;
        // Session cookies (expires_utc 0) never expire, so they come first, then the longest-lived.
        try (PreparedStatement query = database.prepareStatement(
                "SELECT value, encrypted_value, expires_utc FROM cookies WHERE name = ? AND host_key IN (?, ?)"
                        + " ORDER BY expires_utc = 0 DESC, expires_utc DESC")) {
            query.setString(1, ClaudeCookie.NAME);
            query.setString(2, ClaudeCookie.HOSTS.get(0));
            query.setString(3, ClaudeCookie.HOSTS.get(1));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long expiresUtc = rows.getLong("expires_utc");
                    if (expiresUtc != 0) {
                        Instant expires = WINDOWS_EPOCH.plus(expiresUtc, ChronoUnit.MICROS);
                        if (!expires.isAfter(now)) {
                            lastExpiry = lastExpiry == null || expires.isAfter(lastExpiry) ? expires : lastExpiry;
                            continue;
                        }
                    }
                    String plain = rows.getString("value");
                    if (plain != null && !plain.isEmpty()) {
                        if (SessionKey.isCookieValue(plain)) {
                            return plain;
                        }
                        unreadable = ClaudeCookie.malformed();
                        continue;
                    }
                    byte[] encrypted = rows.getBytes("encrypted_value");
                    try {
                        return decryptor.decrypt(browser, encrypted == null ? new byte[0] : encrypted, version);
                    } catch (CookieUnavailableException e) {
                        unreadable = e;
                    }
                }
            }
        }
        if (unreadable != null) {
            throw unreadable;
        }
        throw lastExpiry != null ? ClaudeCookie.expired(lastExpiry) : ClaudeCookie.missing();
    }

    /** The {@code meta} table's {@code version}; 0 when absent (then no host hash is expected). */
    private static int databaseVersion(Connection database) throws SQLException {
        try (Statement statement = database.createStatement();
             ResultSet result = statement.executeQuery("SELECT value FROM meta WHERE key = 'version'")) {
            return result.next() ? Integer.parseInt(result.getString(1).strip()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
