package dev.claudebackup.auth;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * One browser profile and its cookie database (which may not exist yet).
 *
 * @param installation e.g. "Firefox", "Firefox (snap)": tells apart profiles of one browser installed twice
 * @param name the profile's name, or null when the browser has a single, unnamed profile (Opera)
 * @param lastUsed when the cookie database last changed, the best sign of the profile in use
 */
record BrowserProfile(Browser browser, String installation, String name, Path cookieDatabase, FileTime lastUsed) {

    /** For the person: "Firefox profile default-release". Also the {@link SessionKey#source()}. */
    String label() {
        return name == null ? installation : installation + " profile " + name;
    }
}
