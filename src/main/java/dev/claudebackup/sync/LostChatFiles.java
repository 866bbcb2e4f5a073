package dev.claudebackup.sync;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SavedChats;

/**
 * Chats the state records whose file has gone (deleted by hand, or set aside by {@code verify --repair}).
 * Each is said on stderr, and its organization's whole list is read this run, since an early stop would
 * not reach a chat that changed long ago; the Idempotent Consumer then sees it as not saved, and it is
 * fetched again. Each chat folder is listed once at the start of a run, names only: a stat per chat
 * was most of this for a large backup. A listed name counts as the chat's file.
 */
final class LostChatFiles {

    private LostChatFiles() {
    }

    static int notice(SavedChats savedChats, BackupFolder backup, Console console) {
        Set<String> organizations = new HashSet<>();
        Map<Path, Set<String>> listed = new HashMap<>();
        int lost = 0;
        for (SavedChats.SavedChat chat : savedChats.savedChats()) {
            Path file = backup.resolve(chat.file());
            // a name not listed as recorded is asked of the file system too: a volume that stores names in
            // another Unicode form (HFS+, some network shares) still finds "Café" under the recorded spelling
            if (!listed.computeIfAbsent(file.getParent(), LostChatFiles::names).contains(file.getFileName().toString())
                    && !Files.isRegularFile(file)) {
                console.info("The file of chat " + (chat.name() == null || chat.name().isBlank() ? "(no name)" : chat.name())
                        + " (" + chat.uuid() + ") has gone (" + chat.file() + "); it is fetched again");
                organizations.add(chat.organization());
                lost++;
            }
        }
        organizations.forEach(savedChats::organizationUnfinished);
        return lost;
    }

    /** What a folder holds, by name; a folder that has gone (or cannot be read) holds nothing. */
    private static Set<String> names(Path folder) {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        } catch (IOException | DirectoryIteratorException unreadable) {
            names.clear();
        }
        return names;
    }
}
