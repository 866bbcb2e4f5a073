package dev.claudebackup.auth;

import java.util.Objects;

/**
 * The Claude.ai session key and where it came from.
 *
 * <p>The value is a credential: it is held only in memory, and {@link #toString()} never shows it.
 * Only values that can travel in a {@code Cookie} header unchanged are accepted, so a pasted line
 * break or quote can never split or bend the HTTP request that carries the key.
 */
public record SessionKey(String value, String source) {

    public SessionKey {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
        if (!isCookieValue(value)) {
            // Never echo the value: it may be a real key with a stray character.
            throw new IllegalArgumentException("The session key from " + source + " is not a valid cookie value");
        }
    }

    /** True for a non-empty RFC 6265 cookie-octet string: visible ASCII without {@code " , ; \} or space. */
    static boolean isCookieValue(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SessionKey[value=(hidden), source=" + source + "]";
    }
}
