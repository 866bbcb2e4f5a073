package dev.claudebackup.projects;

import com.fasterxml.jackson.databind.JsonNode;

import dev.claudebackup.store.ChatFileNamer;
import dev.claudebackup.sync.Organization;

/**
 * A project as the project list names it. It is the event's {@code project} property (uuid, name,
 * organization). Its uuid is canonical, so its folder name cannot escape the projects folder.
 */
public record ProjectRef(Organization organization, String uuid, String name, String updatedAt) {

    public static final String PROPERTY = "project";

    /** Throws IllegalArgumentException for an entry without a canonical uuid: reported and skipped. */
    public static ProjectRef of(Organization organization, JsonNode entry) {
        String uuid = ChatFileNamer.requireCanonicalUuid(entry.path("uuid").asText(null), "A project");
        return new ProjectRef(organization, uuid, entry.path("name").asText(""), entry.path("updated_at").asText(""));
    }

    /** The folder name under {@code projects/}: the chat slug rule. */
    public String folderName() {
        return ChatFileNamer.slug(name, uuid);
    }

    public String label() {
        return (name.isBlank() ? "(no name)" : name) + " (" + uuid + ")";
    }
}
