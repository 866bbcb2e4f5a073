package dev.claudebackup.verify;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

import dev.claudebackup.store.BackupFolder;

/**
 * Folders and files inside the backup that others may read or enter: the backup holds private
 * conversations (folders 0700, files 0600). The backup folder itself is not checked: one that existed
 * (a volume's root) keeps its mode. Only where the file system has POSIX modes.
 */
final class ModesCheck implements Check {

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @Override
    public String counted() {
        return null;
    }

    @Override
    public int run(Verification verification) throws IOException {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return 0;
        }
        BackupFolder backup = verification.backup();
        int count = 0;
        for (Path path : BackupFiles.under(backup.root())) {
            if (path.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)) {
                continue; // a left-over temporary file is removed, not mended
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (mode.stream().noneMatch(OTHERS::contains)) {
                continue;
            }
            count++;
            boolean folder = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            verification.problem(Problem.ofFile(Problem.Kind.MODE, backup.relativize(path),
                    (folder ? "a folder" : "a file") + " others may " + (folder ? "enter" : "read") + " ("
                            + PosixFilePermissions.toString(mode) + "; " + (folder ? "0700" : "0600") + " wanted)",
                    Problem.Repair.RESTRICT));
        }
        return count;
    }
}
