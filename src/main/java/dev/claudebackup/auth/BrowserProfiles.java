package dev.claudebackup.auth;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Where each browser keeps its profiles on this computer, and which profiles are there. */
final class BrowserProfiles {

    /** A folder where a browser keeps its profiles; label tells two installs of one browser apart. */
    record Location(Browser browser, String label, Path root) {
    }

    /** A location that exists, with the profiles found in it (possibly none). */
    record Installation(Location location, List<BrowserProfile> profiles) {
    }

    private static final Pattern CHROMIUM_PROFILE = Pattern.compile("Default|Profile \\d+");
    private static final FileTime NEVER = FileTime.fromMillis(0);

    private final Map<String, String> env;
    private final Path home;
    private final Platform platform;

    BrowserProfiles(Map<String, String> env, Path home, Platform platform) {
        this.env = env;
        this.home = home;
        this.platform = platform;
    }

    /** Every folder the browser may use on this platform, whether it exists or not. */
    List<Location> locations(Browser browser) {
        List<Location> locations = new ArrayList<>();
        switch (platform) {
            case LINUX -> linux(browser, locations);
            case MAC -> mac(browser, locations);
            case WINDOWS -> windows(browser, locations);
        }
        return locations;
    }

    /** The browser's locations that exist, with their profiles. */
    List<Installation> installations(Browser browser) {
        List<Installation> installations = new ArrayList<>();
        for (Location location : locations(browser)) {
            if (Files.isDirectory(location.root())) {
                List<BrowserProfile> profiles = browser.isFirefoxFamily() ? firefoxProfiles(location) : chromiumProfiles(location);
                installations.add(new Installation(location, profiles));
            }
        }
        return installations;
    }

    private void linux(Browser browser, List<Location> out) {
        Path config = envPath("XDG_CONFIG_HOME", home.resolve(".config"));
        Path flatpak = home.resolve(".var/app");
        switch (browser) {
            case FIREFOX -> {
                add(out, browser, "Firefox", home.resolve(".mozilla/firefox"));
                add(out, browser, "Firefox (XDG)", config.resolve("mozilla/firefox")); // Firefox 147+ for new installs
                add(out, browser, "Firefox (snap)", home.resolve("snap/firefox/common/.mozilla/firefox"));
                add(out, browser, "Firefox (Flatpak)", flatpak.resolve("org.mozilla.firefox/.mozilla/firefox"));
            }
            case LIBREWOLF -> {
                add(out, browser, "LibreWolf", home.resolve(".librewolf"));
                add(out, browser, "LibreWolf (Flatpak)", flatpak.resolve("io.gitlab.librewolf-community/.librewolf"));
            }
            case CHROME -> {
                add(out, browser, "Chrome", config.resolve("google-chrome"));
                add(out, browser, "Chrome (Flatpak)", flatpak.resolve("com.google.Chrome/config/google-chrome"));
            }
            case CHROMIUM -> {
                add(out, browser, "Chromium", config.resolve("chromium"));
                add(out, browser, "Chromium (snap)", home.resolve("snap/chromium/common/chromium"));
                add(out, browser, "Chromium (Flatpak)", flatpak.resolve("org.chromium.Chromium/config/chromium"));
            }
            case BRAVE -> {
                add(out, browser, "Brave", config.resolve("BraveSoftware/Brave-Browser"));
                add(out, browser, "Brave (Flatpak)", flatpak.resolve("com.brave.Browser/config/BraveSoftware/Brave-Browser"));
            }
            case EDGE -> add(out, browser, "Edge", config.resolve("microsoft-edge"));
            case VIVALDI -> add(out, browser, "Vivaldi", config.resolve("vivaldi"));
            case OPERA -> add(out, browser, "Opera", config.resolve("opera"));
        }
    }

    private void mac(Browser browser, List<Location> out) {
        Path support = home.resolve("Library/Application Support");
        String folder = switch (browser) {
            case FIREFOX -> "Firefox";
            case LIBREWOLF -> "librewolf";
            case CHROME -> "Google/Chrome";
            case CHROMIUM -> "Chromium";
            case BRAVE -> "BraveSoftware/Brave-Browser";
            case EDGE -> "Microsoft Edge";
            case VIVALDI -> "Vivaldi";
            case OPERA -> "com.operasoftware.Opera";
        };
        add(out, browser, browser.displayName(), support.resolve(folder));
    }

    private void windows(Browser browser, List<Location> out) {
        Path roaming = envPath("APPDATA", home.resolve("AppData/Roaming"));
        Path local = envPath("LOCALAPPDATA", home.resolve("AppData/Local"));
        Path root = switch (browser) {
            case FIREFOX -> roaming.resolve("Mozilla/Firefox");
            case LIBREWOLF -> roaming.resolve("librewolf");
            case CHROME -> local.resolve("Google/Chrome/User Data");
            case CHROMIUM -> local.resolve("Chromium/User Data");
            case BRAVE -> local.resolve("BraveSoftware/Brave-Browser/User Data");
            case EDGE -> local.resolve("Microsoft/Edge/User Data");
            case VIVALDI -> local.resolve("Vivaldi/User Data");
            case OPERA -> roaming.resolve("Opera Software/Opera Stable");
        };
        add(out, browser, browser.displayName(), root);
    }

    private static void add(List<Location> out, Browser browser, String label, Path root) {
        out.add(new Location(browser, label, root));
    }

    private Path envPath(String variable, Path fallback) {
        String value = env.get(variable);
        return value == null || value.isBlank() ? fallback : home.getFileSystem().getPath(value.strip());
    }

    private static List<BrowserProfile> firefoxProfiles(Location location) {
        List<BrowserProfile> profiles = new ArrayList<>();
        try {
            for (FirefoxProfilesIni.Entry entry : FirefoxProfilesIni.read(location.root())) {
                Path database = entry.directory().resolve("cookies.sqlite");
                profiles.add(new BrowserProfile(location.browser(), location.label(), entry.name(), database, lastChange(database)));
            }
        } catch (IOException noProfileList) {
            // No readable profiles.ini: the installation is reported as having no profiles.
        }
        return profiles;
    }

    private static List<BrowserProfile> chromiumProfiles(Location location) {
        List<BrowserProfile> profiles = new ArrayList<>();
        Path root = location.root();
        // Opera keeps its only profile in the top folder rather than in "Default".
        if (chromiumDatabase(root) != null) {
            profiles.add(profile(location, null, root));
        }
        List<Path> directories = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root, Files::isDirectory)) {
            children.forEach(directories::add);
        } catch (IOException unreadable) {
            return profiles;
        }
        directories.sort(null);
        for (Path directory : directories) {
            String name = directory.getFileName().toString();
            if (CHROMIUM_PROFILE.matcher(name).matches()) {
                profiles.add(profile(location, name, directory));
            }
        }
        return profiles;
    }

    private static BrowserProfile profile(Location location, String name, Path directory) {
        Path database = chromiumDatabase(directory);
        if (database == null) {
            database = directory.resolve("Network/Cookies"); // where it would be, for the report
        }
        return new BrowserProfile(location.browser(), location.label(), name, database, lastChange(database));
    }

    /** Chromium 96+ keeps cookies in Network/Cookies; older profiles in Cookies. */
    private static Path chromiumDatabase(Path profileDirectory) {
        for (String candidate : List.of("Network/Cookies", "Cookies")) {
            Path database = profileDirectory.resolve(candidate);
            if (Files.exists(database)) {
                return database;
            }
        }
        return null;
    }

    /** A running browser writes to the -wal file first, so it is the fresher sign of use. */
    private static FileTime lastChange(Path database) {
        FileTime latest = NEVER;
        for (Path file : List.of(database, database.resolveSibling(database.getFileName() + "-wal"))) {
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                if (modified.compareTo(latest) > 0) {
                    latest = modified;
                }
            } catch (IOException missing) {
                // absent: does not count
            }
        }
        return latest;
    }
}
