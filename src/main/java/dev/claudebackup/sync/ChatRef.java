package dev.claudebackup.sync;

import com.fasterxml.jackson.databind.JsonNode;

import dev.claudebackup.report.Console;
import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.store.SavedChats;

/**
 * One entry of an organization's chat list: what the routes need to fetch and name the chat. The
 * entry itself is kept as the API gave it, for the saved list.
 */
public record ChatRef(Organization organization, String uuid, String name, String updatedAt, JsonNode entry) {

    /** The exchange property that holds the chat being saved. */
    public static final String PROPERTY = "chat";
    /** The exchange property set once the chat's file is in place: its path relative to the backup folder. */
    public static final String SAVED_FILE_PROPERTY = "savedChatFile";
    /** The version in the key of a chat listed without updated_at: no record has it. */
    private static final String UNDATED = "(no updated_at)";

    /** Reads a list entry; throws IllegalArgumentException when it has no canonical uuid. */
    public static ChatRef of(Organization organization, JsonNode entry) {
        // upper- and lower-case forms of a uuid are one chat: the canonical form is lower case
        String uuid = ChatFileNamer.requireCanonicalUuid(entry.path("uuid").asText(null), "A chat of " + organization.label())
                .toLowerCase(java.util.Locale.ROOT);
        return new ChatRef(organization, uuid, entry.path("name").asText(""), entry.path("updated_at").asText(""), entry);
    }

    public String organizationUuid() {
        return organization.uuid();
    }

    /** The Idempotent Consumer's key: a chat is saved once per version. */
    public String idempotencyKey() {
        // Without a change marker nothing tells a saved version from a new one: such a key is never
        // found saved, so the chat is fetched every run (and written only when its content changed).
        return SavedChats.key(uuid, isDated() ? updatedAt : UNDATED);
    }

    /** Whether the list gave the chat an {@code updated_at}: its version. */
    public boolean isDated() {
        return !updatedAt.isBlank();
    }

    public String fileName() {
        return ChatFileNamer.jsonFileName(name, uuid);
    }

    /** For messages: the name, or "(no name)", and the uuid. */
    public String label() {
        return (name.isBlank() ? "(no name)" : Console.printable(name)) + " (" + uuid + ")";
    }
}
