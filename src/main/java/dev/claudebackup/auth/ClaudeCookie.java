package dev.claudebackup.auth;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The cookie that holds the session key, and the common reasons a profile does not have a usable one. */
final class ClaudeCookie {

    static final String NAME = "sessionKey";
    /** Exact hosts only: a suffix match would accept look-alikes such as claude.ai.example.com. */
    static final List<String> HOSTS = List.of("claude.ai", ".claude.ai");

    private ClaudeCookie() {
    }

    static CookieUnavailableException missing() {
        return new CookieUnavailableException("no sessionKey cookie for claude.ai (not logged in)");
    }

    static CookieUnavailableException expired(Instant expiry) {
        return new CookieUnavailableException("the sessionKey cookie expired on "
                + DateTimeFormatter.ISO_LOCAL_DATE.format(expiry.atOffset(ZoneOffset.UTC))
                + " (log in to claude.ai again)");
    }

    static CookieUnavailableException malformed() {
        return new CookieUnavailableException("the sessionKey cookie does not hold a valid value");
    }
}
