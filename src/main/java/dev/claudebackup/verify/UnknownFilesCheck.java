package dev.claudebackup.verify;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

import dev.claudebackup.store.BackupFolder;

/**
 * Files under {@code organizations/} that no record claims and that are not part of the layout: a chat
 * file the state does not know (copied in by hand, or left by a state that was lost). Said, never touched.
 */
final class UnknownFilesCheck implements Check {

    /**
     * Files of the layout that are no record's (relative to the backup folder, glob syntax): the lists,
     * and the organization's memory and styles (CONTRACTS.md point 3). A record's files are claimed by its
     * record check instead.
     */
    static final List<String> LAYOUT_FILES = List.of(
            BackupFolder.ORGANIZATIONS + "/*/chat_conversations.json",
            BackupFolder.ORGANIZATIONS + "/*/projects.json",
            BackupFolder.ORGANIZATIONS + "/*/memory.json",
            BackupFolder.ORGANIZATIONS + "/*/styles.json");

    @Override
    public String counted() {
        return null;
    }

    @Override
    public int run(Verification verification) throws IOException {
        if (verification.savedChats() == null) {
            return 0; // without a state every file is unknown: said once, as the state's problem
        }
        BackupFolder backup = verification.backup();
        List<PathMatcher> layout = LAYOUT_FILES.stream().map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
        int count = 0;
        for (Path path : BackupFiles.under(backup.organizations())) {
            if (!Files.isRegularFile(path) || path.getFileName().toString().startsWith(BackupFolder.TEMP_PREFIX)) {
                continue;
            }
            String relative = backup.relativize(path);
            Path relativePath = Path.of(relative);
            if (verification.isKnown(relative) || layout.stream().anyMatch(matcher -> matcher.matches(relativePath))) {
                continue;
            }
            count++;
            verification.problem(Problem.ofFile(Problem.Kind.UNKNOWN, relative, "the state does not know this file (left as it is)",
                    Problem.Repair.NONE));
        }
        return count;
    }
}
