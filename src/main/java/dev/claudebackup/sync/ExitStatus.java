package dev.claudebackup.sync;

/** The process's exit status: cron and Kubernetes read it, so each has one meaning. */
public enum ExitStatus {
    /** Every chat saved. */
    OK(0),
    /** Some chats (or lists) could not be saved; the rest were, and the next run tries them again. */
    SOME_FAILED(1),
    /** Bad usage or configuration: nothing was asked of claude.ai. */
    USAGE(2),
    /** claude.ai refused the session key, or its Cloudflare blocked the request. */
    ACCESS_DENIED(3);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status of a code; a subcommand's own codes (search's 1 for no match) keep their number. */
    public static ExitStatus of(int code) {
        for (ExitStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("no exit status " + code);
    }
}
