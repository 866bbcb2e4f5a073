package dev.claudebackup.auth;

import java.util.Locale;

/** The operating system families whose browsers keep their files and secrets differently. */
enum Platform {
    LINUX, MAC, WINDOWS;

    /** From {@code System.getProperty("os.name")}; other Unix systems use the Linux locations. */
    static Platform of(String osName) {
        String name = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) {
            return WINDOWS;
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return MAC;
        }
        return LINUX;
    }
}
