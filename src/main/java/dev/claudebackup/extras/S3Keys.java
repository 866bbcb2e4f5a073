package dev.claudebackup.extras;

import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * Where a file of the backup goes in the bucket: its path in the backup, after the prefix. The prefix
 * is taken as a folder whether or not it was written with its slashes ("claude", "/claude/").
 */
public final class S3Keys {

    private final String prefix;

    public S3Keys(String prefix) {
        String folder = prefix == null ? "" : prefix.strip().replaceAll("^/+|/+$", "");
        this.prefix = folder.isEmpty() ? "" : folder + "/";
    }

    /** The key of a file, given its path relative to the backup folder (header CamelFileName). */
    public String key(@Header(Exchange.FILE_NAME) String path) {
        return prefix + path;
    }

    /** The object's content type: JSON for the chats and lists, else by the file's extension (the files of chats). */
    public String contentType(@Header(Exchange.FILE_NAME) String path) {
        if (path.endsWith(".json")) {
            return "application/json";
        }
        String guessed = java.net.URLConnection.guessContentTypeFromName(path);
        return guessed != null ? guessed : "application/octet-stream";
    }

    public String prefix() {
        return prefix;
    }
}
