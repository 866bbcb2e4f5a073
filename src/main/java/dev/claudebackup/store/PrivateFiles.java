package dev.claudebackup.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** The backup holds private conversations: folders 0700, files 0600, where the file system knows modes. */
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final FileAttribute<?>[] PRIVATE_FILE = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
            : new FileAttribute<?>[0];

    private static final FileAttribute<?>[] PRIVATE_FOLDER = POSIX
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
            : new FileAttribute<?>[0];

    private PrivateFiles() {
    }

    /** Creates one folder, 0700 from the start (never a moment open to others). */
    public static Path createFolder(Path folder) throws IOException {
        return Files.createDirectory(folder, PRIVATE_FOLDER);
    }

    /**
     * A new file, 0600 from the start, created exclusively: it fails when anything (a file, a link) has
     * the name, so it never writes through a link planted there.
     */
    public static FileChannel createNewFile(Path file) throws IOException {
        return FileChannel.open(file, Set.<OpenOption>of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PRIVATE_FILE);
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
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createFile(file, PRIVATE_FILE);
            } catch (java.nio.file.FileAlreadyExistsException createdMeanwhile) {
                // restricted below all the same
            }
        }
        restrict(file);
        return file;
    }

    /**
     * Forces a folder's entries to disk, so that a rename into it survives a power cut. Windows and some
     * file systems cannot open or force a folder; there the rename is as durable as they make it.
     */
    public static void forceFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // as durable as the file system makes it
        }
    }

    /** Makes a file 0600 or a folder 0700; a symbolic link is refused, never followed. */
    public static void restrict(Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new FileSystemException(path.toString(), null, "is a symbolic link; claude-backup never follows one inside the backup folder");
        }
        if (POSIX) {
            boolean folder = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString(folder ? "rwx------" : "rw-------"));
        }
    }
}
