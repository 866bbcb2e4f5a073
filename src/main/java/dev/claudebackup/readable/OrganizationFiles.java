package dev.claudebackup.readable;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images and documents the files branch saves, {@code organizations/<OrgSlug>/files/<FileSlug>-<file_uuid>.<ext>},
 * found by uuid. The folder is listed once per chat, and only for a chat that shows a file.
 */
final class OrganizationFiles {

    private static final Pattern UUID_AND_EXTENSION =
            Pattern.compile("-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\\.[^.]+$");

    private final Path folder;
    private Map<String, Path> byUuid;

    OrganizationFiles(Path folder) {
        this.folder = folder;
    }

    /** The file saved for this uuid, or null. */
    Path find(String fileUuid) {
        if (fileUuid == null || fileUuid.isEmpty()) {
            return null;
        }
        if (byUuid == null) {
            byUuid = new HashMap<>();
            if (Files.isDirectory(folder)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
                    for (Path file : files) {
                        Matcher matcher = UUID_AND_EXTENSION.matcher(file.getFileName().toString());
                        if (matcher.find() && Files.isRegularFile(file)) {
                            byUuid.put(matcher.group(1), file);
                        }
                    }
                } catch (IOException e) {
                    // no files to show: the page links nothing, as for a file not saved
                }
            }
        }
        return byUuid.get(fileUuid.toLowerCase(Locale.ROOT));
    }
}
