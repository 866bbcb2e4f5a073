package dev.claudebackup.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A backup folder read back: every file (outside the state folder and the readable copy, which are
 * derived from the rest) by relative path, with its bytes.
 */
public final class BackupTree {

    private BackupTree() {
    }

    public static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                String relative = root.relativize(path).toString();
                if (Files.isRegularFile(path) && !relative.startsWith(".claude-backup") && !relative.startsWith("readable/")) {
                    files.put(relative, Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    /** The chat files of one organization folder, by file name. */
    public static Map<String, byte[]> chatFiles(Path root) throws IOException {
        Map<String, byte[]> chats = new TreeMap<>();
        files(root).forEach((path, bytes) -> {
            if (path.contains("/chat_conversations/")) {
                chats.put(path, bytes);
            }
        });
        return chats;
    }
}
