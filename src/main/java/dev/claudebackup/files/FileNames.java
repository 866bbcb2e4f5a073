package dev.claudebackup.files;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.claudebackup.store.ChatFileNamer;

/**
 * A saved file's name: {@code <FileSlug>-<file_uuid>.<ext>}, the slug made from the file's name without
 * its extension by the chat slug rule ({@link ChatFileNamer}), the uuid in lower case, so a reader finds
 * a file by its uuid with the glob {@code *-<uuid>.*}.
 *
 * <p>The extension says what the bytes are: claude.ai may answer another format than the upload's
 * (an image's preview re-encoded as webp, a document as PDF), so a known content type wins over the
 * name's extension, which is kept where it already means that type ({@code .jpeg} for image/jpeg) or
 * where the type says nothing ({@code application/octet-stream}).
 */
public final class FileNames {

    /** Kept short: with the dot it fits in the bytes the slug leaves for its temporary prefix. */
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9]{1,5}");
    private static final Map<String, String> EXTENSION_OF_TYPE = Map.ofEntries(
            Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/gif", "gif"),
            Map.entry("image/webp", "webp"), Map.entry("image/svg+xml", "svg"), Map.entry("image/heic", "heic"),
            Map.entry("image/avif", "avif"), Map.entry("image/bmp", "bmp"), Map.entry("image/tiff", "tiff"),
            Map.entry("application/pdf", "pdf"), Map.entry("text/plain", "txt"), Map.entry("text/csv", "csv"),
            Map.entry("text/markdown", "md"), Map.entry("text/html", "html"), Map.entry("application/json", "json"),
            Map.entry("application/zip", "zip"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"));
    private static final Map<String, String> TYPE_OF_EXTENSION = Map.ofEntries(
            Map.entry("jpeg", "image/jpeg"), Map.entry("jpg", "image/jpeg"), Map.entry("jpe", "image/jpeg"),
            Map.entry("tif", "image/tiff"), Map.entry("tiff", "image/tiff"), Map.entry("htm", "text/html"),
            Map.entry("html", "text/html"), Map.entry("markdown", "text/markdown"), Map.entry("md", "text/markdown"),
            Map.entry("txt", "text/plain"), Map.entry("text", "text/plain"));
    private static final String NO_NAME = "file";

    private FileNames() {
    }

    /** The file name for these bytes; {@code contentType} may be null. */
    public static String fileName(String name, String uuid, String contentType) {
        String lowerUuid = ChatFileNamer.requireCanonicalUuid(uuid, "A file").toLowerCase(Locale.ROOT);
        String stem = name == null ? "" : name;
        String extension = "";
        int dot = stem.lastIndexOf('.');
        if (dot >= 0 && EXTENSION.matcher(stem.substring(dot + 1)).matches()) {
            extension = stem.substring(dot + 1).toLowerCase(Locale.ROOT);
            stem = stem.substring(0, dot);
        }
        String typed = extensionOf(contentType);
        if (typed != null && !sameType(extension, typed)) {
            extension = typed;
        }
        if (extension.isEmpty()) {
            extension = "bin";
        }
        // never the uuid alone: the glob *-<uuid>.* must find every file
        return ChatFileNamer.slug(stem.isEmpty() ? NO_NAME : stem, lowerUuid) + "." + extension;
    }

    /** The extension a content type calls for, or null when it says nothing (octet-stream, unknown). */
    static String extensionOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return EXTENSION_OF_TYPE.get(type);
    }

    private static boolean sameType(String extension, String typed) {
        if (extension.equals(typed)) {
            return true;
        }
        String type = TYPE_OF_EXTENSION.get(extension);
        return type != null && typed.equals(EXTENSION_OF_TYPE.get(type));
    }
}
