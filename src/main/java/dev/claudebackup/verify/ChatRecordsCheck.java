package dev.claudebackup.verify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

import dev.claudebackup.store.SavedChats;

/**
 * Every chat the state records: its file is there, is one whole JSON object, holds the recorded uuid
 * and {@code updated_at}, and (for chats saved since the state records it) has the recorded sha-256.
 */
final class ChatRecordsCheck implements Check {

    @Override
    public String counted() {
        return "chats";
    }

    @Override
    public int run(Verification verification) throws IOException {
        SavedChats state = verification.savedChats();
        if (state == null) {
            return 0;
        }
        List<SavedChats.SavedChat> chats = state.savedChats();
        for (SavedChats.SavedChat chat : chats) {
            verification.known(chat.file());
            Runnable forget = () -> {
                state.forget(chat.uuid());
                // its organization's whole list is read next run, so that the chat is met again
                state.organizationUnfinished(chat.organization());
            };
            Path file;
            try {
                file = verification.backup().resolve(chat.file());
            } catch (IllegalArgumentException outside) {
                verification.problem(problem(chat, Problem.Kind.NOT_AS_RECORDED, "the state names a path outside the backup",
                        Problem.Repair.FORGET, forget));
                continue;
            }
            if (!Files.isRegularFile(file)) {
                verification.problem(problem(chat, Problem.Kind.MISSING, "the file is missing", Problem.Repair.FORGET, forget));
                continue;
            }
            SavedJson saved = SavedJson.read(file, Set.of("uuid", "updated_at"));
            if (!saved.whole()) {
                verification.problem(problem(chat, Problem.Kind.UNREADABLE, "cut short or not JSON (" + saved.problem() + ")",
                        Problem.Repair.SET_ASIDE, forget));
            } else if (!chat.uuid().equalsIgnoreCase(saved.fields().getOrDefault("uuid", ""))) {
                verification.problem(problem(chat, Problem.Kind.NOT_AS_RECORDED,
                        "holds another chat (uuid " + saved.fields().getOrDefault("uuid", "none") + ")", Problem.Repair.SET_ASIDE, forget));
            } else if (!chat.updatedAt().isBlank() // listed without a date (issue 16.3): the hash is its version
                    && !sameMoment(chat.updatedAt(), saved.fields().getOrDefault("updated_at", ""))) {
                verification.problem(problem(chat, Problem.Kind.NOT_AS_RECORDED, "holds another version (updated_at "
                        + saved.fields().getOrDefault("updated_at", "none") + ", the state says " + chat.updatedAt() + ")",
                        Problem.Repair.SET_ASIDE, forget));
            } else if (chat.sha256() != null && !chat.sha256().equals(saved.sha256())) {
                verification.problem(problem(chat, Problem.Kind.CHANGED, "changed since it was saved (its sha-256 differs)",
                        Problem.Repair.SET_ASIDE, forget));
            }
        }
        return chats.size();
    }

    private static Problem problem(SavedChats.SavedChat chat, Problem.Kind kind, String detail, Problem.Repair repair, Runnable forget) {
        return new Problem("chat", kind, chat.file(), chat.uuid(), chat.name(), detail, repair, forget);
    }

    /** The adoption of an older backup records the list's spelling of the file's moment. */
    static boolean sameMoment(String recorded, String saved) {
        if (recorded.equals(saved)) {
            return true;
        }
        try {
            return Instant.parse(recorded).equals(Instant.parse(saved));
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
