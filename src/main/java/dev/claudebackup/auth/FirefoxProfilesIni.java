package dev.claudebackup.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the profile list of a Firefox-family browser from its {@code profiles.ini}. */
final class FirefoxProfilesIni {

    /** A profile's name and folder. */
    record Entry(String name, Path directory) {
    }

    private FirefoxProfilesIni() {
    }

    /** The {@code [ProfileN]} sections of {@code root/profiles.ini}; other sections (Install, General) are ignored. */
    static List<Entry> read(Path root) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> section = null;
        for (String raw : Files.readAllLines(root.resolve("profiles.ini"), StandardCharsets.UTF_8)) {
            String line = raw.replace("\uFEFF", "").strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                addProfile(root, section, entries);
                section = line.regionMatches(true, 1, "Profile", 0, 7) ? new HashMap<>() : null;
            } else if (section != null && line.contains("=")) {
                int eq = line.indexOf('=');
                section.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        addProfile(root, section, entries);
        return entries;
    }

    private static void addProfile(Path root, Map<String, String> section, List<Entry> entries) {
        if (section == null || section.getOrDefault("Path", "").isEmpty()) {
            return;
        }
        String path = section.get("Path");
        // Relative paths are written with '/' on every OS; absolute ones in the OS's own form.
        Path directory = "0".equals(section.get("IsRelative")) ? root.getFileSystem().getPath(path) : root.resolve(path);
        String name = section.getOrDefault("Name", directory.getFileName().toString());
        entries.add(new Entry(name, directory));
    }
}
