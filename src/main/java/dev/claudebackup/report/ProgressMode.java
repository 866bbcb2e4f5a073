package dev.claudebackup.report;

import java.util.Locale;

/** How progress is shown (property {@code backup.progress}). */
public enum ProgressMode {
    /** A bar when stderr is a terminal, else log lines. */
    AUTO,
    /** Always a bar, even when stderr is not a terminal (it then writes carriage returns into the log). */
    BAR,
    /** Always log lines, even on a terminal. */
    LINES;

    /** Reads the property's value; throws IllegalArgumentException naming the values allowed. */
    public static ProgressMode of(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("backup.progress must be auto, bar or lines, not \"" + value + "\"");
        }
    }
}
