package dev.claudebackup.files;

/**
 * One file a chat or project names: an uploaded image or document (by its {@code file_uuid}), or a file
 * Claude's code execution wrote under {@code /mnt/user-data/outputs/} (by a uuid made from the chat and
 * the path, since it has none of its own).
 *
 * @param variant the rendition asked for ({@code preview}, {@code thumbnail}, {@code document_pdf},
 *                {@code sandbox}), or null when there is none to ask for
 * @param apiPath the path (and query) on the base URL the bytes come from, or null when not downloadable
 * @param notDownloadableBecause why there is nothing to ask for, or null
 */
public record NamedFile(FileOwner owner, String uuid, String name, String kind, String variant, String apiPath,
                        String notDownloadableBecause) {

    /** The exchange property that holds the file being saved. */
    public static final String PROPERTY = "namedFile";

    public boolean downloadable() {
        return apiPath != null;
    }

    /** For messages: "file NAME (uuid) of chat NAME (uuid)". */
    public String label() {
        return "file " + (name == null || name.isBlank() ? "(no name)" : name) + " (" + uuid + ") of " + owner.label();
    }
}
