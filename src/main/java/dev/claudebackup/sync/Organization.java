package dev.claudebackup.sync;

import com.fasterxml.jackson.databind.JsonNode;

import dev.claudebackup.report.Console;
import dev.claudebackup.store.ChatFileNamer;

/** An organization of the account, as {@code memberships[].organization} describes it. */
public record Organization(String uuid, String name, boolean hasChats) {

    public static final String PROPERTY = "organization";

    public static Organization of(JsonNode organization) {
        String uuid = ChatFileNamer.requireCanonicalUuid(organization.path("uuid").asText(null), "An organization")
                .toLowerCase(java.util.Locale.ROOT);
        boolean chats = false;
        for (JsonNode capability : organization.path("capabilities")) {
            chats |= "chat".equals(capability.asText());
        }
        return new Organization(uuid, organization.path("name").asText(""), chats);
    }

    /** The folder name under {@code organizations/}. */
    public String folderName() {
        return ChatFileNamer.slug(name, uuid);
    }

    public String label() {
        return (name.isBlank() ? "(no name)" : Console.printable(name)) + " (" + uuid + ")";
    }
}
