package dev.claudebackup.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * The backup folder and the paths inside it. Every relative path from the routes is resolved here and
 * checked to stay inside, so no name or uuid from the API can write, rename or delete elsewhere.
 */
public final class BackupFolder {

    public static final String STATE_FOLDER = ".claude-backup";
    public static final String ORGANIZATIONS = "organizations";
    /** Camel's file endpoint writes to this prefix first and renames: a file is whole or absent. */
    public static final String TEMP_PREFIX = ".part-";

    private final Path root;

    public BackupFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path stateFolder() {
        return root.resolve(STATE_FOLDER);
    }

    public Path organizations() {
        return root.resolve(ORGANIZATIONS);
    }

    /** Resolves a path relative to the backup folder, refusing any that would leave it. */
    public Path resolve(String relative) {
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root) || resolved.equals(root)) {
            throw new IllegalArgumentException("refusing a path outside the backup folder: " + relative);
        }
        return resolved;
    }

    public String relativize(Path path) {
        return root.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Creates the backup and state folders, mode 0700. */
    public void create() throws IOException {
        PrivateFiles.createFolders(root);
        PrivateFiles.createFolders(stateFolder());
    }

    /**
     * Removes the temporary file of {@code relativeFile} if a failed write left it (Camel's file endpoint
     * does not: a full disk leaves a half-written one). Best effort: the next run removes leftovers too.
     */
    public void removeTemporaryFileOf(@Header(Exchange.FILE_NAME) String relativeFile) {
        try {
            Path file = resolve(relativeFile);
            Files.deleteIfExists(file.resolveSibling(TEMP_PREFIX + file.getFileName()));
        } catch (IOException | IllegalArgumentException e) {
            // the write's own failure is the one to report
        }
    }

    /**
     * Removes the temporary files a killed run left behind: {@code account.json}'s at the top, and the
     * lists' and chats' in the organization folders. They never replaced a good file.
     */
    public void removeLeftoverTempFiles() throws IOException {
        try (var paths = Files.walk(root, 4)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (!path.startsWith(stateFolder()) && path.getFileName().toString().startsWith(TEMP_PREFIX)
                        && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
