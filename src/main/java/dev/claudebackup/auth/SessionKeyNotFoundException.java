package dev.claudebackup.auth;

import java.util.List;

/** No usable session key. {@link #getMessage()} is the complete text for the user; it never holds a key. */
public class SessionKeyNotFoundException extends Exception {

    private static final long serialVersionUID = 1L;

    static final String HOW_TO_COPY = """
            To copy the key by hand:
              1. Open https://claude.ai in your browser and log in.
              2. Open the developer tools (F12), then Application > Cookies
                 (Firefox: Storage > Cookies) > https://claude.ai.
              3. Copy the value of the cookie named sessionKey.
            Then pass it without leaving it in your shell history or on disk for others:
              CLAUDE_SESSION_KEY="$(wl-paste)" claude-backup
                (X11: xclip -o -selection clipboard; macOS: pbpaste)
            or keep it in a file that only you can read:
              (umask 077; wl-paste > ~/.claude-session-key)
              claude-backup --session-key-file ~/.claude-session-key""";

    public SessionKeyNotFoundException(String message) {
        super(message);
    }

    /** The message when every source was tried: what was tried and why it failed, then how to help. */
    static SessionKeyNotFoundException nothingFound(List<String> attempts) {
        StringBuilder text = new StringBuilder("No Claude session key found. Tried, in this order:\n");
        for (String attempt : attempts) {
            text.append("  - ").append(attempt).append('\n');
        }
        text.append('\n').append(HOW_TO_COPY);
        return new SessionKeyNotFoundException(text.toString());
    }
}
