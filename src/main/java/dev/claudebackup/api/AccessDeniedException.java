package dev.claudebackup.api;

/**
 * claude.ai will not talk to us: the session key was refused, or its Cloudflare blocked the request.
 * Never retried; it stops the whole run (exit status 3), since every other request would fail too.
 */
public class AccessDeniedException extends ClaudeApiException {

    public AccessDeniedException(int status, String message) {
        super(status, message);
    }

    public static AccessDeniedException sessionRejected(int status) {
        return new AccessDeniedException(status, "claude.ai refused the session key (HTTP " + status + "): it may have expired"
                + " or been signed out. Sign in to claude.ai in your browser and run again (the key is read from the browser"
                + " by itself), or copy the new sessionKey cookie (Developer tools > Application > Cookies > https://claude.ai)"
                + " into CLAUDE_SESSION_KEY or your --session-key-file.");
    }

    public static AccessDeniedException blockedByCloudflare(int status) {
        return new AccessDeniedException(status, "claude.ai's Cloudflare blocked the request (HTTP " + status
                + ", a \"Just a moment...\" challenge). Try fewer connections (-c 2), a longer delay (-s 1),"
                + " and no VPN or proxy; open claude.ai in your browser from the same network once.");
    }
}
