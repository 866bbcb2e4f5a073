package dev.claudebackup.auth;

/** Why one browser profile gave no usable session key; the message is one line for the attempt list. */
final class CookieUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    CookieUnavailableException(String reason) {
        super(reason, null, false, false); // an expected outcome: no stack trace needed
    }
}
