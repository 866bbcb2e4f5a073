package dev.claudebackup.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * sqlite-jdbc unpacks its native library from the jar into the temporary folder at every start, then
 * reads both copies back byte by byte to compare them: a sixth of the start of a run with nothing new.
 * Unpacked once into the user's own cache instead (a private folder; written under a temporary name,
 * then renamed) and named by {@code org.sqlite.lib.path}, it is loaded straight away by later starts.
 * Wherever that cannot be done (no home folder, a read-only one, Windows), sqlite-jdbc does as before.
 */
public final class SqliteNativeLibrary {

    private SqliteNativeLibrary() {
    }

    /** Points sqlite-jdbc at the cached copy, made first if need be; does nothing if it cannot. */
    public static void useCachedCopy(Map<String, String> environment) {
        if (System.getProperty("org.sqlite.lib.path") != null || System.getProperty("os.name", "").startsWith("Windows")) {
            return;
        }
        try {
            String name = LibraryLoaderUtil.getNativeLibName();
            String resourcePath = LibraryLoaderUtil.getNativeLibResourcePath(); // once: it starts `uname -o` each time
            URL resource = SQLiteJDBCLoader.class.getResource(resourcePath + "/" + name);
            Path cache = cacheFolder(environment);
            if (resource == null || cache == null) {
                return;
            }
            // one folder per driver version and platform: a newer jar never loads an older library
            Path folder = cache.resolve("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion())
                    .resolve(resourcePath.replaceFirst("^/org/sqlite/native/", ""));
            Path library = folder.resolve(name);
            URLConnection connection = resource.openConnection();
            long size = connection.getContentLengthLong();
            if (!Files.isRegularFile(library) || Files.size(library) != size) {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Path part = Files.createTempFile(folder, ".part-", "");
                try (InputStream in = connection.getInputStream()) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            // only a library of this user's: nobody else's file is ever loaded as code
            if (Files.size(library) == size && Files.getOwner(library).equals(Files.getOwner(cache.getParent()))) {
                System.setProperty("org.sqlite.lib.path", folder.toString());
                System.setProperty("org.sqlite.lib.name", name);
            }
        } catch (IOException | RuntimeException e) {
            // sqlite-jdbc unpacks it into the temporary folder, as it always did
        }
    }

    /** $XDG_CACHE_HOME/claude-backup, else $HOME/.cache/claude-backup; null without a home folder. */
    static Path cacheFolder(Map<String, String> environment) {
        String xdg = environment.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "claude-backup");
        }
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        if (home == null || home.isBlank() || home.equals("?") || !Files.isDirectory(Path.of(home))) {
            return null;
        }
        return Path.of(home, ".cache", "claude-backup");
    }
}
