package dev.claudebackup.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.PrivateFiles;
import dev.claudebackup.store.SavedChats;

/**
 * One verify of a backup: the checks in order, what they found, and the repair. The backup folder is
 * locked meanwhile (no run writes while it is read); the state is open when it could be read, else
 * {@link #savedChats()} is null and only the checks of the folder itself run.
 */
public final class Verification {

    /**
     * Every check, in order: the record checks first (they claim their files), then those of the folder.
     * A new kind of record adds its check before {@link UnknownFilesCheck}.
     */
    static final List<Supplier<Check>> CHECKS = List.of(
            ChatRecordsCheck::new,
            ProjectRecordsCheck::new,
            FileRecordsCheck::new,
            UnknownFilesCheck::new,
            TemporaryFilesCheck::new,
            ModesCheck::new);

    /** Where --repair puts damaged files, under the state folder: the same paths as in the backup. */
    public static final String DAMAGED_FOLDER = "damaged";

    private final BackupFolder backup;
    private final SavedChats savedChats;
    private final List<Problem> problems = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    private final Map<String, Integer> checked = new LinkedHashMap<>();

    Verification(BackupFolder backup, SavedChats savedChats) {
        this.backup = backup;
        this.savedChats = savedChats;
    }

    public BackupFolder backup() {
        return backup;
    }

    /** The state, or null when it is missing or damaged (then no record is checked). */
    public SavedChats savedChats() {
        return savedChats;
    }

    public void problem(Problem problem) {
        problems.add(problem);
    }

    /** A file (relative to the backup folder) that a record of the state owns. */
    public void known(String path) {
        known.add(path);
    }

    public boolean isKnown(String path) {
        return known.contains(path);
    }

    void runChecks() throws IOException {
        for (Supplier<Check> supplier : CHECKS) {
            Check check = supplier.get();
            int count = check.run(this);
            if (check.counted() != null) {
                checked.merge(check.counted(), count, Integer::sum);
            }
        }
    }

    public List<Problem> problems() {
        return List.copyOf(problems);
    }

    /** How many of each kind of record were checked ("chats" -> 12). */
    public Map<String, Integer> checked() {
        return Map.copyOf(checked);
    }

    /**
     * Mends what can be mended without losing anything: a damaged file goes to
     * {@code .claude-backup/damaged/} and its record is forgotten (the next run fetches exactly those);
     * a temporary file is removed; a mode is made private. An unknown file is left as it is.
     */
    void repair() throws IOException {
        for (Problem problem : problems) {
            switch (problem.repair()) {
                case SET_ASIDE -> {
                    Path aside = setAside(problem.path());
                    problem.forgetRecord();
                    problem.repaired("moved to " + backup.relativize(aside) + "; the next run fetches it again");
                }
                case FORGET -> {
                    problem.forgetRecord();
                    problem.repaired("forgotten; the next run fetches it again");
                }
                case REMOVE -> {
                    Files.deleteIfExists(backup.resolve(problem.path()));
                    problem.repaired("removed");
                }
                case RESTRICT -> {
                    Path path = backup.resolve(problem.path());
                    if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) { // not set aside meanwhile
                        PrivateFiles.restrict(path);
                        problem.repaired("made private");
                    }
                }
                case SET_ASIDE_STATE, NONE -> {
                    // the state is set aside by the command, which holds it; an unknown file is left alone
                }
            }
        }
    }

    /** Moves the file to the same path under .claude-backup/damaged/ (with .1, .2... when taken); never deletes. */
    private Path setAside(String relative) throws IOException {
        Path file = backup.resolve(relative);
        Path target = backup.stateFolder().resolve(DAMAGED_FOLDER).resolve(relative).normalize();
        if (!target.startsWith(backup.stateFolder())) {
            throw new IOException("refusing to move " + relative + " outside the state folder");
        }
        PrivateFiles.createFolders(target.getParent());
        Path free = target;
        for (int i = 1; Files.exists(free); i++) {
            free = target.resolveSibling(target.getFileName() + "." + i);
        }
        Files.move(file, free);
        PrivateFiles.restrict(free);
        return free;
    }
}
