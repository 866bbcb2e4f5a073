package dev.claudebackup.cli;

/**
 * Logging goes through slf4j-simple to stderr. By default only warnings of Camel's own, so a person
 * sees our messages and not Camel's; {@code --verbose} shows Camel's INFO logs, {@code --quiet} only its
 * errors. The HTTP client's wire
 * and header logs stay off at every level: they would show the session cookie.
 */
final class Logging {

    private Logging() {
    }

    static void configure(boolean verbose, boolean quiet) {
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : quiet ? "error" : "warn");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http.wire", "off");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hc.client5.http.headers", "off");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hc", verbose ? "warn" : "error");
    }
}
