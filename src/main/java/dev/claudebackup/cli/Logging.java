package dev.claudebackup.cli;

/**
 * Logging goes through slf4j-simple to stderr. By default only warnings of Camel's own, so a person
 * sees our messages and not Camel's; {@code --verbose} shows Camel's INFO logs, {@code --quiet} only its
 * errors. A level set with a system property ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug},
 * or one logger's) is left as it is, for debugging.
 *
 * <p>The HTTP client's wire and header logs stay off at every level, whatever was set: they are the
 * only logs that would show the request's Cookie header, the session key.
 */
final class Logging {

    private static final String PREFIX = "org.slf4j.simpleLogger.";
    /** The HTTP client's loggers of each request's headers and bytes, the session cookie among them. */
    static final String[] SECRET_LOGGERS = {"org.apache.hc.client5.http.wire", "org.apache.hc.client5.http.headers"};

    private Logging() {
    }

    static void configure(boolean verbose, boolean quiet) {
        System.setProperty(PREFIX + "logFile", "System.err");
        setUnlessSet(PREFIX + "defaultLogLevel", verbose ? "info" : quiet ? "error" : "warn");
        // the time of day with --verbose, where the log is for following what happened; not on the odd
        // warning otherwise (our own lines have none): its date format's set-up was 2 % of a run with nothing new
        setUnlessSet(PREFIX + "showDateTime", Boolean.toString(verbose));
        if (verbose) {
            setUnlessSet(PREFIX + "dateTimeFormat", "HH:mm:ss.SSS"); // a format given is made at once, shown or not
        }
        setUnlessSet(PREFIX + "log.org.apache.hc", verbose ? "warn" : "error");
        for (String logger : SECRET_LOGGERS) {
            System.setProperty(PREFIX + "log." + logger, "off");
        }
    }

    private static void setUnlessSet(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }
}
