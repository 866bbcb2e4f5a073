package dev.claudebackup.auth;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A copy of a browser's SQLite database in a folder only we can enter, deleted on close.
 *
 * <p>The running browser locks its live database, and opening it could disturb the browser; a
 * copy avoids both. The copy holds every cookie of the person, so it lives in an owner-only
 * folder and goes away as soon as we are done.
 */
final class PrivateCopy implements AutoCloseable {

    /** Pending writes live in -wal (WAL mode) or -journal (rollback mode); SQLite applies them on open. */
    private static final List<String> COMPANIONS = List.of("-wal", "-journal");

    private final Path directory;
    private final Path database;

    private PrivateCopy(Path directory, Path database) {
        this.directory = directory;
        this.database = database;
    }

    /**
     * Copies the database and its companion files.
     *
     * @param tempRoot where to create the private folder; null for the system temporary folder
     */
    static PrivateCopy of(Path source, Path tempRoot) throws IOException {
        if (!Files.isRegularFile(source)) {
            throw new IOException("not a regular file");
        }
        Path directory = createPrivateDirectory(tempRoot);
        // A backstop for an exit before close(): the JVM deletes these in reverse order of registration.
        directory.toFile().deleteOnExit();
        Path copy = directory.resolve("cookies.db");
        PrivateCopy privateCopy = new PrivateCopy(directory, copy);
        try {
            copyFile(source, copy);
            for (String suffix : COMPANIONS) {
                Path companion = source.resolveSibling(source.getFileName() + suffix);
                if (Files.isRegularFile(companion)) {
                    copyFile(companion, directory.resolve(copy.getFileName() + suffix));
                }
            }
        } catch (IOException | RuntimeException e) {
            privateCopy.close();
            throw e;
        }
        return privateCopy;
    }

    Path database() {
        return database;
    }

    /** Opens the copy; read-write, because SQLite must be able to apply a copied -wal file. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + database.toAbsolutePath());
    }

    /** Deletes the copy and whatever SQLite added next to it (-shm, -wal). */
    @Override
    public void close() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> children = Files.list(directory)) {
            children.forEach(files::add);
        } catch (IOException e) {
            // folder already gone
        }
        for (Path file : files) {
            deleteQuietly(file);
        }
        deleteQuietly(directory);
    }

    private static Path createPrivateDirectory(Path tempRoot) throws IOException {
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0]; // Windows: the user's temp folder is already private to the user
        return tempRoot == null
                ? Files.createTempDirectory("claude-backup-cookies-", ownerOnly)
                : Files.createTempDirectory(tempRoot, "claude-backup-cookies-", ownerOnly);
    }

    private static void copyFile(Path from, Path to) throws IOException {
        to.toFile().deleteOnExit();
        Files.copy(from, to);
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // deleteOnExit will try again when the program ends
        }
    }
}
