package dev.claudebackup.api;

/** claude.ai answered something other than the JSON asked for. Messages never hold the session key. */
public class ClaudeApiException extends RuntimeException {

    private final int status;

    public ClaudeApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
