package dev.claudebackup.verify;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders and files under a folder of the backup, symbolic links not followed, without a git
 * repository's own folder (the git-history extra's {@code .git}, whose modes are git's).
 */
final class BackupFiles {

    private BackupFiles() {
    }

    /** Every regular file and folder under {@code top}, {@code top} itself not included. */
    static List<Path> under(Path top) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(top)) {
            return found;
        }
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (dir.getFileName() != null && dir.getFileName().toString().equals(".git")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!dir.equals(top)) {
                    found.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    found.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }
}
