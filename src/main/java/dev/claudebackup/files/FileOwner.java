package dev.claudebackup.files;

/**
 * The chat or project that names a file: where its files go ({@code organizations/<OrgSlug>/files}) and
 * how the report names it.
 *
 * @param kind               {@code chat} or {@code project}
 * @param organizationFolder the organization's folder, relative to the backup folder
 */
public record FileOwner(String kind, String uuid, String name, String organizationUuid, String organizationFolder) {

    public static final String CHAT = "chat";
    public static final String PROJECT = "project";
    public static final String FILES_FOLDER = "files";

    /** The folder the owner's files go to, relative to the backup folder. */
    public String filesFolder() {
        return organizationFolder + "/" + FILES_FOLDER;
    }

    public String label() {
        return kind + " " + (name == null || name.isBlank() ? "(no name)" : name) + " (" + uuid + ")";
    }
}
