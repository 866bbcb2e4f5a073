package dev.claudebackup.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/** The backup holds private conversations: folders 0700, files 0600, where the file system knows modes. */
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] PRIVATE_FILE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];

    private PrivateFiles() {
    }

    /** Creates the folder and any missing parent, each 0700. */
    public static Path createFolders(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        if (absolute.getParent() != null) {
            createFolders(absolute.getParent());
        }
        Files.createDirectory(absolute);
        restrict(absolute);
        return absolute;
    }

    /**
     * Makes sure the file exists and is 0600, creating it empty if need be: for a file another library
     * opens (SQLite gives its -wal and -shm files the mode of the database file).
     */
    public static Path createFile(Path file) throws IOException {
        if (!Files.exists(file)) {
            try {
                Files.createFile(file, PRIVATE_FILE);
            } catch (java.nio.file.FileAlreadyExistsException createdMeanwhile) {
                // restricted below all the same
            }
        }
        restrict(file);
        return file;
    }

    public static void restrict(Path path) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }
}
