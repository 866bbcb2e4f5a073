package dev.claudebackup.search;

import java.util.List;

/**
 * One thing a hit links to (a chat, a project, a memory) and its searchable entries: what the index
 * stores of it. {@code file} is its JSON's path relative to the backup folder.
 */
public record IndexedDocument(String uuid, Kind kind, String organizationUuid, String organization, String projectUuid,
                              String name, String updatedAt, String file, List<Entry> entries) {

    public enum Kind {
        CHAT, PROJECT, MEMORY;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One searchable text: a message (its uuid, sender, and whether it is on the branch claude.ai shows)
     * or a part without a message (a name and summary, instructions, a doc).
     */
    public record Entry(String body, String message, String sender, boolean onCurrentBranch) {
        public static Entry of(String body) {
            return new Entry(body, null, null, true);
        }
    }
}
