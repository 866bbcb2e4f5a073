package dev.claudebackup.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.claudebackup.store.BackupFolder;

/** Temporary files ({@code .part-*}) a run that was killed while writing left behind; they never replaced a good file. */
final class TemporaryFilesCheck implements Check {

    @Override
    public String counted() {
        return null;
    }

    @Override
    public int run(Verification verification) throws IOException {
        BackupFolder backup = verification.backup();
        int count = 0;
        for (Path path : BackupFiles.under(backup.root())) {
            if (Files.isRegularFile(path) && path.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)) {
                count++;
                verification.problem(Problem.ofFile(Problem.Kind.TEMPORARY, backup.relativize(path),
                        "a temporary file left by a run that was stopped while writing", Problem.Repair.REMOVE));
            }
        }
        return count;
    }
}
