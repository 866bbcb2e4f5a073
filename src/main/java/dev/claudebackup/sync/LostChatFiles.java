package dev.claudebackup.sync;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;

import dev.claudebackup.report.Console;
import dev.claudebackup.store.BackupFolder;
import dev.claudebackup.store.SavedChats;

/**
 * Chats the state records whose file has gone (deleted by hand, or set aside by {@code verify --repair}).
 * A stat per recorded chat at the start of a run: each is said on stderr, and its organization's whole
 * list is read this run, since an early stop would not reach a chat that changed long ago; the
 * Idempotent Consumer then sees it as not saved, and it is fetched again.
 */
final class LostChatFiles {

    private LostChatFiles() {
    }

    static int notice(SavedChats savedChats, BackupFolder backup, Console console) {
        Set<String> organizations = new HashSet<>();
        int lost = 0;
        for (SavedChats.SavedChat chat : savedChats.savedChats()) {
            if (!Files.isRegularFile(backup.resolve(chat.file()))) {
                console.info("The file of chat " + (chat.name() == null || chat.name().isBlank() ? "(no name)" : chat.name())
                        + " (" + chat.uuid() + ") has gone (" + chat.file() + "); it is fetched again");
                organizations.add(chat.organization());
                lost++;
            }
        }
        organizations.forEach(savedChats::organizationUnfinished);
        return lost;
    }
}
