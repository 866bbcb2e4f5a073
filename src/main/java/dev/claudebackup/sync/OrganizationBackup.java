package dev.claudebackup.sync;

import java.util.Map;
import java.util.Optional;

/**
 * One organization's part of a run: its folder (relative to the backup folder), the chat files found
 * there when the run began (by uuid), and the pager over its chat list.
 */
public record OrganizationBackup(Organization organization, String folder, Map<String, String> existingFiles,
                                 ChatListPager chatList) {

    public static final String PROPERTY = "organizationBackup";
    public static final String CHATS_FOLDER = "chat_conversations";
    public static final String CHAT_LIST_FILE = "chat_conversations.json";

    public String chatFile(ChatRef chat) {
        return folder + "/" + CHATS_FOLDER + "/" + chat.fileName();
    }

    public String chatListFile() {
        return folder + "/" + CHAT_LIST_FILE;
    }

    public Optional<String> existingFile(String chatUuid) {
        return Optional.ofNullable(existingFiles.get(chatUuid));
    }
}
