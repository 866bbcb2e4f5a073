package dev.claudebackup.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.claudebackup.files.FileOwner;
import dev.claudebackup.files.SavedFiles;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.store.FileDigests;
import dev.claudebackup.store.SavedChats;

/**
 * Every file (image, PDF, document) the files part of the state records as saved: it is there with the
 * size and sha-256 it was saved with. A file gone from claude.ai or over the size limit has no file, and
 * is not checked. A damaged file is set aside and its record forgotten, with its owner's "looked at"
 * mark: the next run reads that chat or project again from disk and fetches exactly this file.
 */
final class FileRecordsCheck implements Check {

    @Override
    public String counted() {
        return "files";
    }

    @Override
    public int run(Verification verification) throws IOException {
        SavedChats state = verification.savedChats();
        if (state == null) {
            return 0;
        }
        SavedFiles files = new SavedFiles(state, verification.backup());
        List<SavedFiles.Saved> saved = files.savedFiles();
        for (SavedFiles.Saved file : saved) {
            Runnable forget = () -> files.forget(file.uuid());
            String relative = whereNow(file, state, files, verification.backup());
            Path path;
            try {
                path = verification.backup().resolve(java.util.Objects.requireNonNull(relative, "no path"));
            } catch (IllegalArgumentException | NullPointerException outside) {
                verification.problem(problem(file, Problem.Kind.NOT_AS_RECORDED, String.valueOf(relative),
                        "the state names a path outside the backup", Problem.Repair.FORGET, forget));
                continue;
            }
            verification.known(relative);
            if (!Files.isRegularFile(path)) {
                verification.problem(problem(file, Problem.Kind.MISSING, relative, "the file is missing", Problem.Repair.FORGET, forget));
                continue;
            }
            long size = Files.size(path);
            if (size != file.size()) {
                verification.problem(problem(file, Problem.Kind.CHANGED, relative, "changed since it was saved (" + size
                        + " bytes, " + file.size() + " saved)", Problem.Repair.SET_ASIDE, forget));
            } else if (file.sha256() != null && !file.sha256().equals(FileDigests.sha256(path))) {
                verification.problem(problem(file, Problem.Kind.CHANGED, relative, "changed since it was saved (its sha-256 differs)",
                        Problem.Repair.SET_ASIDE, forget));
            }
        }
        return saved.size();
    }

    /**
     * The recorded path; or, when its organization's folder was renamed since (the row follows only when
     * its owner is next looked at), the file of its uuid in the organization's folder of now.
     */
    private static String whereNow(SavedFiles.Saved file, SavedChats state, SavedFiles files, BackupFolder backup) {
        String recorded = file.path();
        String[] parts = recorded == null ? new String[0] : recorded.split("/");
        if (parts.length < 3) {
            return recorded;
        }
        try {
            if (Files.isRegularFile(backup.resolve(recorded))) {
                return recorded;
            }
        } catch (IllegalArgumentException outside) {
            return recorded;
        }
        Optional<String> moved = ChatFileNamer.uuidOf(parts[1]).flatMap(state::folderOf)
                .flatMap(folder -> files.findInFolder(folder + "/" + FileOwner.FILES_FOLDER, file.uuid()));
        return moved.orElse(recorded);
    }

    private static Problem problem(SavedFiles.Saved file, Problem.Kind kind, String path, String detail, Problem.Repair repair,
                                   Runnable forget) {
        return new Problem("file", kind, path, file.uuid(), null, detail, repair, forget);
    }
}
