package dev.claudebackup.extras;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Body;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.EmptyCommitException;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;

import dev.claudebackup.store.BackupFolder;

/**
 * The backup folder as a git repository of its own (its {@code .git} inside it), one commit per run
 * that changed something: every earlier version of every chat, and every chat since deleted, stays
 * recoverable with ordinary git commands ({@code git log}, {@code git show COMMIT:PATH}). The state
 * folder, with its lock, temporary files and the readable copy (derived from the JSON, rebuilt with
 * {@code claude-backup render}, and written while this commit is made) are never committed: they are
 * listed in the repository's own {@code .git/info/exclude}, so the backup's layout gains no file.
 */
public final class GitHistory {

    /** Patterns git ignores in the backup folder, besides the readable copy's folder. */
    static final List<String> ALWAYS_EXCLUDED = List.of("/" + BackupFolder.STATE_FOLDER + "/", BackupFolder.TEMP_PREFIX + "*");

    private final Path folder;
    private final String authorName;
    private final String authorEmail;
    private final List<String> excluded;

    /** @param readable the readable copy's folder (readable.dir), excluded when it is inside the backup folder */
    public GitHistory(Path folder, String authorName, String authorEmail, Path readable) {
        this.folder = folder.toAbsolutePath().normalize();
        this.authorName = authorName;
        this.authorEmail = authorEmail;
        Path copy = readable.toAbsolutePath().normalize();
        List<String> patterns = new ArrayList<>(ALWAYS_EXCLUDED);
        if (copy.startsWith(this.folder) && !copy.equals(this.folder)) {
            // a pattern with a slash is anchored at the top; git's wildcards in a name are escaped
            patterns.add("/" + this.folder.relativize(copy).toString().replace('\\', '/').replaceAll("([\\[*?!#])", "\\\\$1") + "/");
        }
        this.excluded = List.copyOf(patterns);
    }

    /** What the repository's info/exclude holds. */
    List<String> excluded() {
        return excluded;
    }

    /**
     * Commits the folder as it is, with this message; a folder that did not change since the last commit
     * gets none. Returns whether it committed.
     */
    public boolean commit(@Body String message) throws IOException, GitAPIException {
        try (Git git = openOrCreate()) {
            // Like git add --all: new, changed and deleted files. JGit reads every file whatever its size and
            // time say, so a chat changed with neither (another branch shown, same updated_at) is not missed.
            git.add().addFilepattern(".").setAll(true).call();
            PersonIdent author = new PersonIdent(authorName, authorEmail);
            try {
                git.commit().setMessage(message).setAuthor(author).setCommitter(author)
                        .setSign(false).setNoVerify(true).setAllowEmpty(false).call();
                return true;
            } catch (EmptyCommitException unchanged) {
                return false;
            }
        }
    }

    private Git openOrCreate() throws IOException, GitAPIException {
        File gitFolder = folder.resolve(".git").toFile();
        Git git = gitFolder.isDirectory() ? Git.open(folder.toFile())
                : Git.init().setDirectory(folder.toFile()).setInitialBranch("main").call();
        exclude(git.getRepository().getDirectory().toPath().resolve("info").resolve("exclude"), excluded);
        return git;
    }

    /** Adds the patterns the repository must ignore to its info/exclude, keeping any others there. */
    private static void exclude(Path excludeFile, List<String> excluded) throws IOException {
        List<String> lines = Files.isRegularFile(excludeFile)
                ? new ArrayList<>(Files.readAllLines(excludeFile, StandardCharsets.UTF_8)) : new ArrayList<>();
        if (lines.containsAll(excluded)) {
            return;
        }
        excluded.stream().filter(pattern -> !lines.contains(pattern)).forEach(lines::add);
        Files.createDirectories(excludeFile.getParent());
        Files.write(excludeFile, lines, StandardCharsets.UTF_8);
    }
}
